"""One published estimate: a population, an item, a wave, a segment, the share and its interval."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["StudyResult"]


class StudyResult(models.Model):
    """A « fort + très fort » share as the study computed it (overall when ``segment`` is empty)."""

    study = models.CharField(_("étude"), max_length=64)
    population = models.CharField(_("population"), max_length=64)
    item = models.CharField(_("question"), max_length=64)
    label_fr = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    wave = models.PositiveSmallIntegerField(_("vague"))
    segment_variable = models.CharField(max_length=64, blank=True)
    segment = models.CharField(max_length=64, blank=True)
    segment_label_fr = models.CharField(max_length=200, blank=True)
    segment_label_en = models.CharField(max_length=200, blank=True)
    estimate = models.FloatField()
    low = models.FloatField()
    high = models.FloatField()
    n = models.PositiveIntegerField()
    fragile = models.BooleanField(default=False)
    published = models.FloatField(null=True, blank=True)
    synthetic = models.BooleanField(default=True)

    class Meta:
        ordering = ("population", "item", "wave", "segment")
        indexes = [models.Index(fields=["study", "population"])]

    def label(self, lang: str) -> str:
        """Return the item's short label in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr

    def segment_label(self, lang: str) -> str:
        """Return the segment's label in ``lang``."""
        return self.segment_label_en if lang == "en" else self.segment_label_fr
