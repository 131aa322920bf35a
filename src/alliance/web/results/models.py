"""Published studies: each publication a version, with its estimates and benchmark references.

A study (``Study``) is published as successive versions (``StudyVersion``); the current version
is the latest not withdrawn. A version keeps what the core's
:class:`~alliance.study.results.StudyResults` holds: its estimates as rows (``Estimate``, one
per :class:`~alliance.study.results.Result`, with the labels a reader needs), its benchmark
references as rows (``BenchmarkReference``), and the rest (populations, waves, comparisons,
published figures, thresholds) as JSON in ``data``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliance.diagnostic.benchmark import Reference
from alliance.i18n import Lang
from alliance.study.results import PopulationInfo, Result, StudyResults

__all__ = ["BenchmarkReference", "Estimate", "Study", "StudyVersion"]


class Study(models.Model):
    """A study as readers know it: a stable code, a title in both languages, synthetic or not."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title_fr = models.CharField(_("titre (français)"), max_length=300)
    title_en = models.CharField(_("titre (anglais)"), max_length=300)
    synthetic = models.BooleanField(_("données synthétiques"), default=False)
    #: The analysts who manage it in the workspace; none: every analyst.
    analysts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_studies",
        verbose_name=_("réservée aux analystes"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    class Meta:
        ordering = ("code",)
        verbose_name = _("étude")

    def __str__(self) -> str:
        return self.code

    def title(self, lang: str) -> str:
        """Return the study's title in ``lang``."""
        return self.title_en if lang == "en" else self.title_fr

    def current(self) -> StudyVersion | None:
        """Return the latest version not withdrawn (None before the first publication)."""
        return self.versions.filter(withdrawn_at=None).order_by("-number").first()


class StudyVersion(models.Model):
    """One publication of a study's results; ``digest`` tells whether the results changed."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    digest = models.CharField(max_length=64)
    published_at = models.DateTimeField(_("publiée le"), default=timezone.now)
    #: Where the results were published from (a folder, a file), for the record.
    source = models.TextField(_("source"), blank=True)
    #: The results' record without its estimates and benchmark references (kept as rows).
    data = models.JSONField(default=dict)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: A withdrawn version is no longer shown; the latest version not withdrawn is current.
    withdrawn_at = models.DateTimeField(_("dépubliée le"), null=True, blank=True)

    class Meta:
        ordering = ("study", "number")
        constraints = [
            models.UniqueConstraint(fields=["study", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.study_id} v{self.number}"

    @cached_property
    def _populations(self) -> list[PopulationInfo]:
        data = {**self.data, "estimates": [], "benchmark": []}
        return StudyResults.from_json(data).populations

    def populations(self) -> list[PopulationInfo]:
        """Return the populations with their labels and waves, as the results record has them."""
        return self._populations

    def population(self, code: str) -> PopulationInfo | None:
        """Return the population called ``code`` (None when the version has none)."""
        return next((p for p in self.populations() if p.population == code), None)

    @property
    def waves(self) -> list[str]:
        """Every wave of the version, in order of first appearance."""
        return list(dict.fromkeys(w.wave for p in self.populations() for w in p.waves))

    @property
    def suppress_below(self) -> int:
        """Estimates resting on fewer respondents are hidden."""
        return int(self.data.get("suppress_below", 10))

    @property
    def fragile_below(self) -> int:
        """Estimates resting on fewer respondents are flagged fragile."""
        return int(self.data.get("fragile_below", 30))

    def results(self) -> StudyResults:
        """Rebuild the core's record of the version (estimates and references included)."""
        data = {
            **self.data,
            "estimates": [e.result_data() for e in self.estimates.all()],
            "benchmark": [r.data for r in self.references.order_by("pk")],
        }
        return StudyResults.from_json(data)


class Estimate(models.Model):
    """One estimate of a version (a :class:`~alliance.study.results.Result`) with its labels.

    ``by`` and ``group`` are empty for the whole population. A suppressed estimate has no values.
    """

    class Statistic(models.TextChoices):
        SHARE = "share", _("part")
        MEAN = "mean", _("moyenne")
        TOTAL = "total", _("total")

    version = models.ForeignKey(StudyVersion, on_delete=models.CASCADE, related_name="estimates")
    #: The order of the results record.
    position = models.PositiveIntegerField()
    population = models.CharField(_("population"), max_length=64)
    wave = models.CharField(_("vague"), max_length=32)
    variable = models.CharField(_("variable"), max_length=64)
    statistic = models.CharField(max_length=8, choices=Statistic.choices)
    by = models.CharField(max_length=64, blank=True)
    group = models.CharField(max_length=64, blank=True)
    label_fr = models.TextField()
    label_en = models.TextField()
    group_label_fr = models.TextField(blank=True)
    group_label_en = models.TextField(blank=True)
    estimate = models.FloatField(null=True, blank=True)
    se = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    n = models.PositiveIntegerField()
    fragile = models.BooleanField(default=False)
    suppressed = models.BooleanField(default=False)
    codes = models.JSONField(default=list, blank=True)
    #: The figure already published for this estimate (whole population only), if any.
    published = models.FloatField(null=True, blank=True)
    published_source = models.TextField(blank=True)

    class Meta:
        ordering = ("version", "position")
        indexes = [
            models.Index(fields=["version", "population", "by"], name="estimates_of_population")
        ]

    def label(self, lang: str) -> str:
        """Return the item's label in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr

    def group_label(self, lang: str) -> str:
        """Return the segment group's label in ``lang`` (empty for the whole population)."""
        return self.group_label_en if lang == "en" else self.group_label_fr

    @property
    def shown(self) -> bool:
        """Whether the estimate may be shown (it is not suppressed)."""
        return not self.suppressed and self.estimate is not None

    def result_data(self) -> dict[str, Any]:
        """Return the estimate as the core's :class:`Result` data."""
        return {
            "population": self.population, "wave": self.wave, "variable": self.variable,
            "statistic": self.statistic, "estimate": self.estimate, "se": self.se,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n, "fragile": self.fragile,
            "suppressed": self.suppressed, "by": self.by or None, "group": self.group or None,
            "codes": self.codes,
        }  # fmt: skip

    def result(self) -> Result:
        """Return the core's :class:`Result`."""
        return Result(**self.result_data())

    def record(self, lang: Lang) -> dict[str, Any]:
        """Return the estimate as an ``estimates.csv`` row plus its labels, in ``lang``.

        Suppressed estimates have no values, whatever is stored.
        """
        shown = self.shown
        return {
            "population": self.population, "wave": self.wave, "variable": self.variable,
            "statistic": self.statistic, "by": self.by or None, "group": self.group or None,
            "estimate": self.estimate if shown else None, "se": self.se if shown else None,
            "ci_low": self.ci_low if shown else None, "ci_high": self.ci_high if shown else None,
            "n": self.n, "fragile": self.fragile, "label": self.label(lang),
            "group_label": self.group_label(lang) or None, "suppressed": self.suppressed,
        }  # fmt: skip


class BenchmarkReference(models.Model):
    """What a study population answered to a benchmark item (see ``alliance.diagnostic.benchmark``).

    ``data`` is :meth:`Reference.to_dict`'s output: weighted estimates with their intervals and,
    for counts, the weighted distribution; never microdata.
    """

    version = models.ForeignKey(StudyVersion, on_delete=models.CASCADE, related_name="references")
    population = models.CharField(_("population"), max_length=64)
    item = models.CharField(_("question"), max_length=64)
    data = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "population", "item"], name="one_reference_per_version_item"
            )
        ]

    def reference(self) -> Reference:
        """Return the core's reference."""
        return Reference.from_dict(self.data)
