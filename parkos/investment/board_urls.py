"""URLs of the project board; included into the investment app's urls (app_name "investment")."""

from django.urls import path

from parkos.investment.board import ProjectBoardView, ProjectMoveView

urlpatterns = [
    path("projects/board/", ProjectBoardView.as_view(), name="project_board"),
    path("projects/<int:pk>/move/", ProjectMoveView.as_view(), name="project_move"),
]
