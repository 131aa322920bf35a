"""Registry entries: one row per association (RNA) or legal unit (SIRENE), located in a commune.

An entry is public data as its registry publishes it; the platform only adds the referential's
actor profile (from the legal category, a rule kept as data) and the commune's EPCI, department
and region (from :mod:`alliance.territory.geography`). Platform organisations are linked by their
SIREN or RNA number, the one thing entries are looked up by: territories count their actors in
:class:`RegistryCount`, a small table derived after each import, so the entries carry no index
by place and an import maintains only their unique number.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryEntry(models.Model):
    """An association of the RNA or a legal unit of SIRENE, as last imported."""

    class Source(models.TextChoices):
        RNA = "rna", "RNA"
        SIRENE = "sirene", "SIRENE"

    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        #: RNA position « D » (dissoute) or SIRENE état « C » (cessée).
        CLOSED = "closed", _("dissoute ou cessée")
        #: RNA position « S » (supprimée).
        DELETED = "deleted", _("supprimée")

    source = models.CharField(max_length=8, choices=Source.choices)
    #: The RNA number (``W595001234``) or the SIREN (9 digits).
    identifier = models.CharField(max_length=14)
    #: For an RNA entry, the SIRET it declares, if any; for SIRENE, the head office's SIRET.
    siret = models.CharField(max_length=14, blank=True)
    name = models.CharField(max_length=250, blank=True)
    #: The referential's actor profile (``associations``, ``pme``…); empty when unclassified.
    profile = models.CharField(max_length=64, blank=True)
    #: INSEE legal category (4 digits); RNA entries carry ``9220`` (association déclarée).
    legal_category = models.CharField(max_length=4, blank=True)
    #: NAF activity code (``94.99Z``) or, for RNA, the social object code.
    activity = models.CharField(max_length=8, blank=True)
    #: SIRENE workforce band (``tranche d'effectifs``), empty when unknown.
    workforce = models.CharField(max_length=2, blank=True)
    social_economy = models.BooleanField(null=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.ACTIVE)
    commune = models.CharField(max_length=5, blank=True)
    epci = models.CharField(max_length=9, blank=True)
    department = models.CharField(max_length=3, blank=True)
    #: Two digits, or three for an overseas collectivity (``975``), which the COG files as its
    #: own region.
    region = models.CharField(max_length=3, blank=True)
    created = models.DateField(null=True, blank=True)
    #: When the registry last changed the entry (RNA ``maj_time``, SIRENE
    #: ``dateDernierTraitement…``): a re-import keeps the newer of two versions.
    updated = models.DateTimeField(null=True, blank=True)
    #: When SIRENE last changed the head office that locates the entry
    #: (``dateDernierTraitementEtablissement``): the establishments file updates the place only
    #: with a version at least as new, independently of the legal unit's own ``updated``.
    location_updated = models.DateTimeField(null=True, blank=True)
    #: Not indexed: nothing looks entries up by import, and each index costs every upserted row.
    #: Nor checked by the database: a check per row, queued to the commit of each batch of a
    #: hundred thousand, took a fifth of a first import's time on PostgreSQL; the loader writes
    #: the id of the import it has just created, and Django still sets it null should the import
    #: be deleted.
    imported = models.ForeignKey(
        "RegistryImport",
        on_delete=models.SET_NULL,
        null=True,
        related_name="entries",
        db_constraint=False,
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "identifier"], name="one_entry_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.identifier}"


class RegistryCount(models.Model):
    """How many entries of one registry a commune holds, by actor profile and state.

    Derived from :class:`RegistryEntry` by :func:`alliance.web.registry.counts.refresh_counts`
    after each import, never edited. The commune's EPCI, department and region are copied so that
    a territory of any kind sums its rows through one small index.
    """

    source = models.CharField(max_length=8, choices=RegistryEntry.Source.choices)
    commune = models.CharField(max_length=5, blank=True)
    epci = models.CharField(max_length=9, blank=True)
    department = models.CharField(max_length=3, blank=True)
    region = models.CharField(max_length=3, blank=True)
    profile = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=8, choices=RegistryEntry.State.choices)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["department"], name="registry_count_department"),
            models.Index(fields=["region"], name="registry_count_region"),
            models.Index(fields=["epci"], name="registry_count_epci"),
            models.Index(fields=["commune"], name="registry_count_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.commune}:{self.profile}:{self.state} {self.count}"


class RegistryImport(models.Model):
    """One import of registry files: what was read, its vintage, and the rows refused."""

    source = models.CharField(max_length=8, choices=RegistryEntry.Source.choices)
    #: File names as given, and their SHA-256, so that a page can say what the counts come from.
    files = models.JSONField(default=list)
    #: The registry's date of extraction (from the file name or the newest update in it).
    vintage = models.DateField(null=True, blank=True)
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveBigIntegerField(default=0)
    imported_rows = models.PositiveBigIntegerField(default=0)
    rejected_rows = models.PositiveBigIntegerField(default=0)
    #: Bilingual problem records of the refused rows (file, line, column, value), capped.
    problems = models.JSONField(default=list)

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.source} {self.vintage or ''}".strip()
