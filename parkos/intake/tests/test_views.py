"""The standard suite (pages, import, export, API, permissions per role) for the article."""

from unittest import mock

from parkos.core.testing import StandardModelTests, csv_text
from parkos.intake.models import Article
from parkos.intake.tests.helpers import stand_in_extract

#: articles: investment staff in their parks, and admins
INTAKE = {"operator_admin": "all", "investment_staff": "in"}


class ArticleTests(StandardModelTests):
    model = Article
    visible_to = INTAKE
    editable_by = INTAKE
    update_data = {"source_name": "Xinhua"}
    invalid_data = [("park", ""), ("title", "T" * 301), ("text", "")]

    def setUp(self):
        super().setUp()
        patcher = mock.patch("parkos.intake.services.extract", side_effect=stand_in_extract)
        patcher.start()
        self.addCleanup(patcher.stop)

    @staticmethod
    def form_data(world):
        return {"park": world.park["in"].pk, "text": f"Park signs agreement number {world.seq()}\n\nThe text."}

    @classmethod
    def make(cls, world, side):
        n = world.seq()
        text = f"Article {n:04d}{side} headline\n\nBody of article {n}."
        return Article.objects.create(
            title=f"Article {n:04d}{side}", park=world.park[side], language="en", text=text, extraction={}
        )

    @staticmethod
    def csv_rows(world):
        base = {"id": "", "park": "park-in", "source_name": "", "url": "", "language": "en", "status": "drafted"}
        return csv_text(
            [
                {**base, "title": "Imported article A", "text": "Imported article A. First body."},
                {**base, "title": "导入文章乙", "language": "zh", "text": "导入文章乙。正文。"},
            ]
        )

    @staticmethod
    def csv_bad_row(world):
        return ",Bad article,no-such-park,,,en,drafted,Some text", "park"

    @staticmethod
    def api_data(world):
        return {"park": world.park["in"].pk, "text": "API article headline\n\nThe API body.", "source_name": "API"}
