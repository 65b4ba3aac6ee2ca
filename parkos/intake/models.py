"""Articles taken in from the press, and the records each one was accepted into."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parkos.core.models import PrimaryModel


def content_hash(text: str) -> str:
    """The article's identity: the same text pasted twice is the same article (whitespace does not count)."""
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


class Article(PrimaryModel):
    """A news article or press release, the text read from it, and what the extractor drafted from it."""

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh", _("Chinese")

    class Status(models.TextChoices):
        DRAFTED = "drafted", _("Drafted, to review")
        ACCEPTED = "accepted", _("Accepted")

    title = models.CharField(_("title"), max_length=300)
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        related_name="articles",
        help_text=_("The park the event and agreements of this article are filed under."),
    )
    source_name = models.CharField(_("source"), max_length=300, blank=True, help_text=_("File name or publication."))
    url = models.URLField(_("web address"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    text = models.TextField(_("text"), help_text=_("The text as read from the file or paste; spans point into it."))
    content_hash = models.CharField(_("content fingerprint"), max_length=64, unique=True, editable=False)
    file = models.FileField(_("original file"), upload_to="intake/%Y/", blank=True)
    extraction = models.JSONField(_("extraction"), default=dict, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFTED)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    park_path = "park"
    organization_path = None
    search_fields = ("title", "source_name", "url")
    changelog_exclude = ("created", "last_updated", "text", "extraction")

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.text)
        super().save(*args, **kwargs)

    def get_review_url(self) -> str:
        return reverse("intake:article_review", kwargs={"pk": self.pk})


class ArticleRecord(models.Model):
    """A record an article was accepted into, under the key of the draft item it came from.

    The key ("organization:2", "agreement:0", "signatory:0:1", ...) makes accepting idempotent:
    accepting the same article again finds the record it made the first time instead of making another.
    """

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="records")
    key = models.CharField(_("draft item"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    created_new = models.BooleanField(_("created"), default=True, help_text=_("False: linked to an existing record."))

    class Meta:
        ordering = ["article", "pk"]
        verbose_name = _("record from an article")
        verbose_name_plural = _("records from articles")
        constraints = [models.UniqueConstraint("article", "key", name="articlerecord_unique_key")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="articlerecord_object")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.key} → {self.content_type_id}:{self.object_id}"


class ArticleBatch(models.Model):
    """Several articles taken in at once (files or web addresses), read one after the other in the background."""

    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.CASCADE, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("batch of articles")
        verbose_name_plural = _("batches of articles")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("intake:article_batch", kwargs={"pk": self.pk})


class ArticleBatchItem(models.Model):
    """One file or web address of a batch, and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        DONE = "done", _("Read, to review")
        DUPLICATE = "duplicate", _("Taken in before")
        FAILED = "failed", _("Could not be read")

    batch = models.ForeignKey(ArticleBatch, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    url = models.URLField(_("web address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="intake/batches/%Y/", blank=True)
    name = models.CharField(_("name"), max_length=300, help_text=_("The file name or web address."))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    message = models.CharField(_("message"), max_length=500, blank=True)
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["batch", "position"]
        verbose_name = _("article of a batch")
        verbose_name_plural = _("articles of a batch")

    def __str__(self) -> str:
        return self.name
