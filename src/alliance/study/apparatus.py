"""The apparatus of a published notebook: cover, « chiffres clés », historical series, bibliography.

What a research publication carries around its chapters, built from the study definition (edition,
date, authors, credits, partners, address), from the run (the key figures, each with its
provenance like every table) and from the referential (the Observatoire's confirmed figures by
year, the earlier volumes of the IMPACT programme, the sources the notebook cites).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from babel.dates import format_date

from alliance.i18n import Lang
from alliance.referential import default_referential
from alliance.referential.model import PublishedFigure, Status
from alliance.report.document import Chapter, Cover, Reference
from alliance.report.numbers import percent
from alliance.report.series import Point, series_chart
from alliance.report.tables import Column, Figure
from alliance.study.definition import StudyDefinition
from alliance.text import normalise

if TYPE_CHECKING:
    from alliance.study.notebook import NotebookBuilder

__all__ = [
    "LABELS",
    "NOTEBOOK_VOLUME",
    "citation",
    "cover",
    "key_figures_chapter",
    "references",
    "series_chapter",
    "series_figure",
    "volumes",
]

#: The programme whose volumes the bibliography lists first, and the volume this notebook is (the
#: fifth, « Alliance & Performance »): the others are its earlier volumes.
PROGRAMME = "study-programmes/impact"
NOTEBOOK_VOLUME = "carnet_alliance_performance"
#: The headings of the apparatus the notebook's template shows (texts ``notebook.<key>``).
LABELS = (
    "cover_authors", "cover_credits", "cover_partners", "bibliography", "volumes_heading",
    "references_heading", "citation_heading",
)  # fmt: skip


def _date(definition: StudyDefinition, lang: Lang) -> str:
    """Return the publication date as the language writes it (« 15 juin 2022 »), or nothing."""
    published = definition.published
    return format_date(published, format="long", locale=lang) if published else ""


def cover(b: NotebookBuilder) -> Cover:
    """Return the cover: edition, date, authors, credits and partners as the definition gives."""
    definition = b.run.definition
    return Cover(
        edition=definition.edition_in(b.lang),
        date=b.t("cover_published", date=_date(definition, b.lang)) if definition.published else "",
        authors=list(definition.authors),
        credits=[(credit.role(b.lang), credit.name) for credit in definition.credits],
        partners=list(definition.partners),
        mark=b.t("cover_synthetic") if b.results.synthetic else "",
    )


def key_figures_chapter(b: NotebookBuilder) -> Chapter | None:
    """Return the « chiffres clés »: each share of each population's latest wave, on one page.

    A share the study compares with a published figure shows it, marked published, with its source.
    Withheld estimates are left out (they appear nowhere with a value).
    """
    rows = []
    populations = []
    published = {(f.population, f.variable, f.wave): f for f in b.results.published}
    #: Each published source once, numbered in the table's note, so that rows stay one line.
    sources: dict[str, int] = {}
    for run in b.run.populations:
        info = b.results.population(run.code)
        shares = [r for r in b.results.of(run.code) if r.statistic == "share" and r.shown]
        if not shares:
            continue
        populations.append(run)
        latest = shares[-1].wave
        for result in (r for r in shares if r.wave == latest):
            figure = published.get((run.code, result.variable, result.wave))
            rows.append(
                b.estimate_row(
                    result,
                    population=b.label(info.label),
                    item=info.item_label(result.variable, b.lang),
                    wave=result.wave,
                    published=figure.published if figure else None,
                    source=f"[{sources.setdefault(figure.source, len(sources) + 1)}]"
                    if figure
                    else "",
                )
            )
    if not rows:
        return None
    columns = b.estimate_columns(
        [
            Column("population", b.r("col_population")),
            Column("item", b.r("col_item")),
            Column("wave", b.r("col_wave")),
        ]
    )
    columns[-1:-1] = [
        Column("published", b.r("col_published"), "percent"),
        Column("source", b.t("col_published_source")),
    ]
    table = b.table(
        b.t("key_figures_title"),
        columns,
        rows,
        populations=populations,
        note=" ".join(
            [
                b.t("key_figures_note"),
                *([b.t("key_figures_references")] if sources else []),
                *(
                    b.t("key_figures_source", number=n, source=source)
                    for source, n in sources.items()
                ),
            ]
        ),
        estimator=b.r("estimator_share"),
        table_id="K1",
    )
    return Chapter(id="key-figures", title=b.t("chapter_key_figures"), blocks=[table])


def _series_figures() -> list[PublishedFigure]:
    """Return the confirmed figures that have a year and a value, oldest first."""
    framework = default_referential().framework("published-figures")
    found = [
        item
        for item in framework
        if isinstance(item, PublishedFigure)
        and item.status is Status.CONFIRMED
        and item.year is not None
        and item.value is not None
    ]
    return sorted(found, key=lambda item: item.year or 0)


def series_figure(b: NotebookBuilder) -> Figure:
    """Return the historical series: the confirmed figures by year, as a chart and its table."""
    referential = default_referential()
    figures = _series_figures()
    b.figures += 1
    rows = []
    points = []
    for item in figures:
        population = referential.label(f"actor-profiles/{item.population}", b.lang)
        value = (item.value or 0.0) / 100
        b.cite(item.sources)
        titles = [referential.sources[code].title for code in item.sources]
        rows.append(
            {
                "year": str(item.year),
                "population": population,
                "figure": item.label(b.lang),
                "study": item.study or "",
                "value": value,
                "source": b.t("separator").join(titles),
            }
        )
        points.append(Point(item.year or 0, value, population, item.label(b.lang)))
    first, last = points[0].year, points[-1].year
    title = b.t("series_title", first=first, last=last)
    columns = [
        Column("year", b.t("col_year")),
        Column("population", b.r("col_population")),
        Column("figure", b.t("col_figure")),
        Column("study", b.t("col_study")),
        Column("value", b.r("col_published"), "percent"),
        Column("source", b.r("col_source")),
    ]
    data = b.table(b.r("data_of", title=title), columns, rows, figure=True)
    alt = (
        b.t("alt_series_intro", title=title)
        + " "
        + b.t("separator").join(
            b.t(
                "alt_point",
                year=p.year,
                series=p.series,
                label=p.label,
                value=percent(p.value, b.lang, 0),
            )
            for p in points
        )
    )
    svg = series_chart(points, axis_title=b.t("axis_published"), lang=b.lang)
    return Figure(id=data.id, title=title, svg=svg, alt=alt, data=data, notes=[b.t("series_note")])


def series_chapter(b: NotebookBuilder) -> Chapter:
    """Return the chapter of the historical series, for a notebook whose prose does not place it."""
    return Chapter(id="historical-series", title=b.t("chapter_series"), blocks=[series_figure(b)])


def _reference(code: str) -> Reference:
    source = default_referential().sources[code]
    details = ", ".join(part for part in (source.publisher, source.date) if part)
    title = source.title if source.title[-1] in ".?!" else f"{source.title}."
    return Reference(f"{title} {details}." if details else title, source.url or "")


def volumes(b: NotebookBuilder) -> list[Reference]:
    """Return the earlier volumes of the IMPACT programme, each with its first online source."""
    referential = default_referential()
    found = []
    for item in referential.framework("publications"):
        if item.code == NOTEBOOK_VOLUME or PROGRAMME not in (link.target for link in item.links):
            continue
        online = [referential.sources[c] for c in item.sources if referential.sources[c].url]
        url = (online[0].url or "") if online else ""
        found.append(Reference(f"{item.label(b.lang)}. {item.definition(b.lang)}", url))
    return found


def references(b: NotebookBuilder) -> list[Reference]:
    """Return every source the notebook cites, by title, then the study's own published sources."""
    cited = sorted((_reference(code) for code in b.cited), key=lambda r: normalise(r.text))
    own = dict.fromkeys(f.source for f in b.results.published)
    return [*cited, *(Reference(f"{source}.") for source in own)]


def citation(b: NotebookBuilder, title: str) -> str:
    """Return « comment citer »: authors, title, edition, date, study and address when known."""
    definition = b.run.definition
    parts = [
        ", ".join(definition.authors),
        f"« {title} »",
        definition.edition_in(b.lang),
        _date(definition, b.lang),
        b.t("citation_study", study=definition.study),
        definition.url or "",
    ]
    return ". ".join(part for part in parts if part) + "."
