"""Press intake pages: the article's standard pages, taking an article in, and reviewing its drafts."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from parkos.core.permissions import Action
from parkos.core.views.generic import ObjectView, ObjectViews
from parkos.intake import filtersets, forms, resources, selectors, services, tables
from parkos.intake.models import Article, ArticleBatch


class ArticleViews(ObjectViews):
    model = Article
    path = "articles"
    table = tables.ArticleTable
    filterset = filtersets.ArticleFilterSet
    form = forms.ArticleForm
    resource = resources.ArticleResource
    list_related = ("park",)
    detail_template = "intake/article_detail.html"
    detail_exclude = ("id", "created", "last_updated", "text")

    @classmethod
    def urls(cls) -> list:
        # "Add" is taking an article in (paste or upload, then extract), not the plain model form.
        standard = [p for p in super().urls() if p.name != "article_add"]
        return [
            path(f"{cls.path}/add/", ArticleTakeInView.as_view(views=cls), name="article_add"),
            path(f"{cls.path}/<int:pk>/review/", ArticleReviewView.as_view(views=cls), name="article_review"),
            path(f"{cls.path}/batch/", ArticleBatchAddView.as_view(views=cls), name="article_batch_add"),
            path(f"{cls.path}/batch/<int:pk>/", ArticleBatchView.as_view(views=cls), name="article_batch"),
            *standard,
        ]

    @classmethod
    def detail_extra(cls, obj, user) -> dict:
        return {"records": article_records(obj), "review_url": obj.get_review_url()}


def article_records(article: Article) -> list[dict]:
    """The records the article was accepted into: type, record and whether it was created (one query per type)."""
    rows = list(article.records.order_by("pk"))
    ids = defaultdict(set)
    for row in rows:
        ids[row.content_type_id].add(row.object_id)
    objects = {}
    for type_id, pks in ids.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._base_manager.filter(pk__in=pks):
            objects[(type_id, obj.pk)] = obj
    records = []
    for row in rows:
        model = ContentType.objects.get_for_id(row.content_type_id).model_class()
        records.append(
            {
                "key": row.key,
                "type": model._meta.verbose_name if model else "",
                "record": objects.get((row.content_type_id, row.object_id)),
                "created_new": row.created_new,
            }
        )
    return records


class ArticleTakeInView(ObjectView):
    """Paste an article or upload its file; the extractor drafts records, and the review page opens."""

    template_name = "intake/article_add.html"

    def get(self, request):
        self.require(Action.ADD)
        form = forms.ArticleTakeInForm(user=request.user)
        return render(request, self.template_name, self.base_context(form=form))

    def post(self, request):
        self.require(Action.ADD)
        form = forms.ArticleTakeInForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                article, created = services.article_take_in(
                    user=request.user,
                    park=data["park"],
                    text=data["article_text"],
                    title=data["title"],
                    source_name=data["source_name"],
                    url=data["url"],
                    upload=data.get("file"),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("text" if not data.get("file") else "file", message)
            else:
                if not created:
                    messages.info(request, _("This article was taken in before: here it is."))
                    return redirect(article.get_absolute_url())
                message = _("Read “%(title)s”. Review the drafts and accept them.")
                messages.success(request, message % {"title": article})
                return redirect(article.get_review_url())
        return render(request, self.template_name, self.base_context(form=form), status=400)


class ArticleReviewView(ObjectView):
    """The article with its drafts highlighted, and the form to correct, match and accept them."""

    template_name = "intake/article_review.html"

    def _article(self):
        self.require(Action.CHANGE)  # no permission: 403; an article outside the user's parks: 404
        return self.get_object(Action.CHANGE)

    def get(self, request, pk):
        article = self._article()
        review = forms.ArticleReview(article, request.user)
        return render(request, self.template_name, self._context(article, review))

    def post(self, request, pk):
        article = self._article()
        review = forms.ArticleReview(article, request.user, data=request.POST)
        errors = []
        if review.is_valid():
            try:
                result = services.article_accept(article=article, review=review.review(), user=request.user)
            except ValidationError as exc:
                errors = exc.messages
            else:
                if not result.created and not result.linked:
                    messages.info(request, _("Nothing new: every record of this article was made or linked before."))
                else:
                    messages.success(
                        request,
                        _("Accepted: %(created)d records created, %(linked)d linked.")
                        % {"created": len(result.created), "linked": len(result.linked)},
                    )
                return redirect(article.get_absolute_url())
        return render(request, self.template_name, self._context(article, review, errors), status=400)

    def _context(self, article, review, errors=()) -> dict:
        return self.base_context(
            object=article,
            review=review,
            marked=selectors.marked_text(article.text, article.extraction),
            errors=[*review.errors(), *errors] if review.event_form.is_bound else [],
            mark_kinds=selectors.MARK_KINDS,
        )


class ArticleBatchAddView(ObjectView):
    """Several files or web addresses at once; they are read in the background and the progress page opens."""

    template_name = "intake/article_batch_add.html"

    def get(self, request):
        self.require(Action.ADD)
        form = forms.ArticleBatchForm(user=request.user)
        return render(request, self.template_name, self.base_context(form=form))

    def post(self, request):
        self.require(Action.ADD)
        form = forms.ArticleBatchForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                batch = services.article_batch_create(
                    user=request.user, park=data["park"], urls=data["urls"], uploads=data["files"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(batch.get_absolute_url())
        return render(request, self.template_name, self.base_context(form=form), status=400)


class ArticleBatchView(ObjectView):
    """A batch's progress: each file or address, waiting, read (with its review link) or why it failed."""

    template_name = "intake/article_batch.html"

    def get(self, request, pk):
        self.require(Action.ADD)
        batch = ArticleBatch.objects.filter(pk=pk, created_by=request.user).first()
        if batch is None:
            raise Http404
        items = list(batch.items.select_related("article"))
        done = sum(item.status != item.Status.QUEUED for item in items)
        context = self.base_context(
            batch=batch,
            items=items,
            done=done,
            total=len(items),
            percent=round(100 * done / len(items)) if items else 100,
            finished=batch.finished_at is not None or done == len(items),
        )
        return render(request, self.template_name, context)
