"""An inspiring example: an alliance described with the referential's vocabulary."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance.text import normalise

__all__ = ["InspiringExample"]


class InspiringExample(models.Model):
    """Title, summary, partners and their profiles, category, objectives, territory, year, SDGs."""

    code = models.SlugField(unique=True)
    title_fr = models.CharField(_("titre (français)"), max_length=300)
    title_en = models.CharField(_("titre (anglais)"), max_length=300)
    summary_fr = models.TextField(_("résumé (français)"))
    summary_en = models.TextField(_("résumé (anglais)"))
    partners = models.JSONField(_("partenaires"), default=list)
    category = models.CharField(_("catégorie"), max_length=64)
    objectives = models.JSONField(_("objectifs"), default=list)
    common_objective = models.CharField(_("objectif commun"), max_length=64, blank=True)
    region = models.CharField(_("région"), max_length=3)
    commune = models.CharField(_("commune"), max_length=5, blank=True)
    year = models.PositiveSmallIntegerField(_("année"))
    sdg = models.JSONField(_("ODD"), default=list)
    innovation_stage = models.CharField(_("stade d'innovation"), max_length=64, blank=True)
    impacts = models.JSONField(_("impacts"), default=list)
    sources = models.JSONField(_("sources"), default=list)
    synthetic = models.BooleanField(_("exemple de démonstration"), default=False)
    #: Title, summary and partners folded (case, accents), so « mecenat » finds « mécénat ».
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ("-year", "code")
        verbose_name = _("exemple inspirant")

    def __str__(self) -> str:
        return self.title_fr

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the folded search text in step with the content."""
        self.search_text = normalise(
            " ".join(
                [
                    self.title_fr,
                    self.title_en,
                    self.summary_fr,
                    self.summary_en,
                    *(p.get("name", "") for p in self.partners),
                ]
            )
        ).replace("_", " ")
        super().save(*args, **kwargs)

    def title(self, lang: str) -> str:
        """Return the title in ``lang``."""
        return self.title_en if lang == "en" else self.title_fr

    def summary(self, lang: str) -> str:
        """Return the summary in ``lang``."""
        return self.summary_en if lang == "en" else self.summary_fr

    @property
    def profiles(self) -> list[str]:
        """The partners' profiles."""
        return [p.get("profile", "") for p in self.partners]
