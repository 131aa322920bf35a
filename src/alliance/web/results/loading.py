"""Loading a study's results into the database (the demo study, from the core's results)."""

from __future__ import annotations

from django.db import transaction

from alliance.demo.notebook import SHORT_LABELS, is_fragile
from alliance.demo.simulation import WAVES
from alliance.demo.study import StudyResults
from alliance.diagnostic.benchmark import study_references
from alliance.web.results.models import BenchmarkReference, StudyResult

__all__ = ["DEMO_STUDY", "load_study"]

DEMO_STUDY = "impact-demo"


@transaction.atomic
def load_study(results: StudyResults, study: str = DEMO_STUDY) -> int:
    """Replace the study's rows with its estimates (overall per wave, and 2022 by segment).

    The benchmark references of the latest wave, for the organisations' diagnostics, are replaced
    with them.
    """
    StudyResult.objects.filter(study=study).delete()
    BenchmarkReference.objects.filter(study=study).delete()
    rows = []
    for population in results.populations:
        code = population.plan.questionnaire
        for result in population.items:
            low, high = result.estimate.ci()
            labels = SHORT_LABELS.get(result.item, {"fr": result.item, "en": result.item})
            published = None
            if result.target.published and result.target.figure:
                figure = results.referential.item(result.target.figure)
                published = getattr(figure, "value", None)
            rows.append(
                StudyResult(
                    study=study, population=code, item=result.item, label_fr=labels["fr"],
                    label_en=labels["en"], wave=result.wave, estimate=result.estimate.estimate,
                    low=low, high=high, n=result.estimate.n, fragile=is_fragile(result.estimate),
                    published=published / 100 if published is not None else None,
                )
            )  # fmt: skip
        variable = population.segment_variable or ""
        scale = population.questionnaire.scale_of(population.questionnaire.item(variable))
        names = {str(c.code): c.label for c in scale.choices} if scale else {}
        for item, estimates in population.segments.items():
            labels = SHORT_LABELS.get(item, {"fr": item, "en": item})
            for estimate in estimates:
                segment = str(estimate.group).split("|", 1)[1]
                low, high = estimate.ci()
                name = names.get(segment)
                rows.append(
                    StudyResult(
                        study=study, population=code, item=item, label_fr=labels["fr"],
                        label_en=labels["en"], wave=2022, segment_variable=variable,
                        segment=segment, segment_label_fr=name.fr if name else segment,
                        segment_label_en=name.en if name else segment,
                        estimate=estimate.estimate, low=low, high=high, n=estimate.n,
                        fragile=is_fragile(estimate),
                    )
                )  # fmt: skip
        if population.design is not None:
            BenchmarkReference.objects.bulk_create(
                BenchmarkReference(study=study, population=code, item=r.item, data=r.to_dict())
                for r in study_references(population.design, code, wave=WAVES[-1], synthetic=True)
            )
    StudyResult.objects.bulk_create(rows)
    return len(rows)
