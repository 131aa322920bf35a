"""Study estimates (population, item, wave, segment, share, interval) and benchmark references."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.diagnostic.benchmark import Reference

__all__ = ["BenchmarkReference", "StudyResult"]


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


class BenchmarkReference(models.Model):
    """What a study population answered to a benchmark item (see ``alliance.diagnostic.benchmark``).

    ``data`` is :meth:`Reference.to_dict`'s output: weighted estimates with their intervals and,
    for counts, the weighted distribution; never microdata.
    """

    study = models.CharField(_("étude"), max_length=64)
    population = models.CharField(_("population"), max_length=64)
    item = models.CharField(_("question"), max_length=64)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["study", "population", "item"], name="one_reference_per_item"
            )
        ]

    def reference(self) -> Reference:
        """Return the core's reference."""
        return Reference.from_dict(self.data)
