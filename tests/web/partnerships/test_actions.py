"""What members do, once for pages and API: answers, benchmark, steps, partnerships, evaluations."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from alliance.errors import ConflictError, DiagnosticError, EvaluationError
from alliance.evaluation import grid
from alliance.web.organisations.models import Organisation
from alliance.web.partnerships import actions
from alliance.web.partnerships.models import (
    AgreementRevision,
    Diagnostic,
    Evaluation,
    Partnership,
    Side,
)

pytestmark = pytest.mark.integration

BENCHMARKED = ["partnership_count", "partnership_categories", "evaluated_share"]


@pytest.fixture
def diagnostic(organisation) -> Diagnostic:
    found = actions.diagnostic_of(organisation)
    actions.save_answers(found, {"skills": 4, "reserves_months": 3})
    return found


@pytest.fixture
def shared(organisation, other_organisation) -> Partnership:
    """A partnership between ``organisation`` (first side) and ``other_organisation``."""
    partnership = actions.start(organisation, "Jardin partagé")
    Side.objects.create(partnership=partnership, organisation=other_organisation)
    return partnership


def stored(diagnostic: Diagnostic) -> dict[str, Any]:
    answers: dict[str, Any] = Diagnostic.objects.get(pk=diagnostic.pk).answers
    return answers


# profiles_of, diagnostic_of ---------------------------------------------------------------------


def test_profiles_go_from_the_specific_to_the_root(organisation, other_organisation):
    assert actions.profiles_of(organisation) == ["associations"]
    assert actions.profiles_of(other_organisation) == ["pme", "entreprises"]


def test_reading_a_diagnostic_never_made_writes_nothing(organisation):
    first = actions.diagnostic_of(organisation)

    assert (first.pk, first.answers, first.versions, first.version) == (None, {}, {}, 0)
    assert first.instrument_version == "2026.1"
    assert not Diagnostic.objects.filter(organisation=organisation).exists()


def test_the_first_answer_makes_the_diagnostic_once(organisation):
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 4})
    actions.save_answers(actions.diagnostic_of(organisation), {"engagement": 2})

    found = Diagnostic.objects.get(organisation=organisation)
    assert found.answers == {"skills": 4, "engagement": 2}
    assert (found.versions, found.version) == ({"skills": 1, "engagement": 1}, 2)


# save_answers -----------------------------------------------------------------------------------


def test_answers_are_merged_with_the_draft(diagnostic):
    returned = actions.save_answers(diagnostic, {"engagement": "2", "reserves_months": "4,5"})

    assert returned is diagnostic
    assert stored(diagnostic) == {"skills": 4, "engagement": 2, "reserves_months": 4.5}


def test_a_blank_answer_removes_it_from_the_draft(diagnostic):
    actions.save_answers(diagnostic, {"skills": ""})

    assert stored(diagnostic) == {"reserves_months": 3.0}


def test_replace_drops_every_other_answer(diagnostic):
    actions.save_answers(diagnostic, {"engagement": 5}, replace=True)

    assert stored(diagnostic) == {"engagement": 5}


def test_answers_are_cleaned(organisation):
    diagnostic = actions.diagnostic_of(organisation)

    actions.save_answers(
        diagnostic,
        {
            "people_mix": {"benevoles": "50", "salaries": 50},
            "partnership_categories": ["mecenat", "innovation_societale", "mecenat"],
            "partnership_count": "3",
        },
    )

    assert stored(diagnostic) == {
        "people_mix": {"benevoles": 50.0, "salaries": 50.0, "volontaires": 0.0},
        "partnership_categories": ["innovation_societale", "mecenat"],
        "partnership_count": 3,
    }


def test_one_invalid_answer_keeps_nothing(diagnostic):
    with pytest.raises(DiagnosticError) as raised:
        actions.save_answers(diagnostic, {"engagement": 2, "skills": 2.5})

    assert raised.value.key == "diagnostic.invalid_scale"
    assert raised.value.message("en") == (
        "Invalid answer to 'skills': a whole number from 1 to 5 is needed "
        "(field 'skills', value 2.5)"
    )
    assert raised.value.message("fr") == (
        "Réponse invalide à 'skills' : il faut un nombre entier de 1 à 5 "
        "(champ 'skills', valeur 2.5)"
    )
    assert stored(diagnostic) == {"skills": 4, "reserves_months": 3.0}


def test_one_invalid_answer_keeps_nothing_when_replacing(diagnostic):
    with pytest.raises(DiagnosticError):
        actions.save_answers(diagnostic, {"engagement": 2, "largest_funder": 120}, replace=True)

    assert stored(diagnostic) == {"skills": 4, "reserves_months": 3.0}


def test_a_draft_keeps_the_valid_answers_and_returns_the_refused_ones(diagnostic):
    refused = actions.save_draft(
        diagnostic, {"engagement": "2", "skills": 9, "reserves_months": "", "largest_funder": 140}
    )

    assert [(e.key, e.location.field) for e in refused] == [
        ("diagnostic.out_of_bounds", "skills"),
        ("diagnostic.out_of_bounds", "largest_funder"),
    ]
    # The refused answers keep their previous value; a blank one clears it.
    assert stored(diagnostic) == {"skills": 4, "engagement": 2}


def test_an_unknown_question_keeps_nothing(diagnostic):
    with pytest.raises(DiagnosticError) as raised:
        actions.save_answers(diagnostic, {"engagement": 2, "mood": 5})

    assert raised.value.key == "diagnostic.question_unknown"
    assert stored(diagnostic) == {"skills": 4, "reserves_months": 3.0}


def test_a_question_of_another_profile_is_refused(other_organisation):
    diagnostic = actions.diagnostic_of(other_organisation)

    with pytest.raises(DiagnosticError) as raised:
        actions.save_answers(diagnostic, {"people_mix": {"benevoles": 100}})

    assert raised.value.key == "diagnostic.invalid_mix"
    assert raised.value.message("en") == (
        "Invalid answer to 'people_mix': shares in % of salaries, mecenat_competences are needed, "
        "not negative, summing to 100 (field 'people_mix', value {'benevoles': 100})"
    )
    assert not Diagnostic.objects.filter(organisation=other_organisation).exists()


# benchmark --------------------------------------------------------------------------------------


def test_benchmark_of_an_association_is_against_associations_on_the_three_levers(organisation):
    found = actions.assessment(
        organisation, {"partnership_count": 3, "volunteer_count": 8, "main_resource": "dons"}
    )

    assert [(lever.lever, lever.missing) for lever in found.levers] == [
        ("richesses_humaines", None), ("ressources_financieres", None), ("alliances", None),
    ]  # fmt: skip
    assert [s.question for s in found.standings] == [
        "volunteer_count",
        "main_resource",
        *BENCHMARKED,
    ]
    standings = found.standings
    assert {s.reference.population for s in standings} == {"associations"}
    assert {s.reference.wave for s in standings} == {2022}
    assert all(s.reference.synthetic for s in standings)
    volunteers, resource, count = standings[:3]
    assert volunteers.below == volunteers.reference.below(8.0) == 0.45
    assert resource.same == resource.reference.values["dons"]
    assert count.value == 3
    assert count.reference.kind == "count"
    assert count.below == count.reference.below(3.0)
    assert 0 < count.below < 1
    assert [s.value for s in standings[3:]] == [None, None]
    assert [s.below for s in standings[3:]] == [None, None]


def test_benchmark_of_a_pme_is_against_companies(other_organisation):
    found = actions.assessment(other_organisation, {}).standings

    assert [s.question for s in found] == BENCHMARKED
    assert {s.reference.population for s in found} == {"companies"}
    assert [s.reference.kind for s in found] == ["count", "categories", "yes_no"]
    assert [s.value for s in found] == [None, None, None]


def test_benchmark_uses_the_latest_study_covering_the_population_or_the_setting(
    organisation, settings
):
    from dataclasses import replace

    from alliance.web.results.publishing import publish
    from tests.web.studies import SYNTHETIC, observed_study, references

    results = observed_study()
    observed = [r | {"synthetic": False} for r in references("associations")]
    publish(replace(results, study="barometre-2025", benchmark=observed))

    assert {s.reference.synthetic for s in actions.assessment(organisation, {}).standings} == {
        False
    }

    settings.ALLIANCE_BENCHMARK_STUDY = SYNTHETIC

    assert {s.reference.synthetic for s in actions.assessment(organisation, {}).standings} == {True}


def test_benchmark_without_a_study_population_is_empty(db):
    from alliance.web.organisations.models import Organisation

    academic = Organisation.objects.create(name="Université (fictive)", profile="academiques")

    assert actions.assessment(academic, {"partnership_count": 2}).standings == []


# steps ------------------------------------------------------------------------------------------


def test_steps_of_an_empty_diagnostic(organisation):
    found = actions.assessment(organisation, {}).steps

    assert [s.code for s in found] == ["new-category", "practice-sheet"]
    assert found[0].targets == ["partnership-categories/mecenat"]
    assert found[1].targets == ["actor-profiles/associations"]
    assert found[1].examples == {"profile": "associations"}


def test_steps_start_with_the_weakest_lever(diagnostic, organisation):
    actions.save_answers(diagnostic, {"skills": 5, "reserves_months": 6, "strategic": 1})

    found = actions.assessment(organisation, diagnostic.answers).steps

    assert [s.code for s in found] == [
        "lever-alliances", "magic-square", "new-category", "practice-sheet",
    ]  # fmt: skip
    assert found[0].title.fr == "Faire des alliances un levier stratégique"
    assert found[0].title.en == "Make alliances a strategic lever"


def test_steps_suggest_a_category_the_partnerships_do_not_use(shared, organisation):
    actions.agree(shared, "mecenat", "", "")

    found = actions.assessment(organisation, actions.diagnostic_of(organisation).answers).steps

    assert found[0].code == "new-category"
    assert found[0].targets == ["partnership-categories/pratiques_responsables"]
    assert found[0].examples == {"category": "pratiques_responsables"}


def test_steps_of_a_pme_read_the_companies_sheet(other_organisation):
    found = actions.assessment(other_organisation, {}).steps

    assert found[-1].code == "practice-sheet"
    assert found[-1].targets == ["actor-profiles/entreprises"]


# start ------------------------------------------------------------------------------------------


def test_start_trims_the_title_and_makes_the_first_side(organisation):
    partnership = actions.start(organisation, "  Jardin partagé du quartier  ")

    assert Partnership.objects.get(pk=partnership.pk).title == "Jardin partagé du quartier"
    assert [s.organisation for s in partnership.sides.all()] == [organisation]


@pytest.mark.parametrize("title", ["", "   ", None, "x" * 201])
def test_start_refuses_an_invalid_title(organisation, title):
    with pytest.raises(EvaluationError) as raised:
        actions.start(organisation, title)

    assert raised.value.key == "qualification.title_invalid"
    assert raised.value.message("fr").startswith(
        "Intitulé de partenariat invalide : il faut de 1 à 200 caractères"
    )
    assert Partnership.objects.count() == 0
    assert Side.objects.count() == 0


# agree, qualify ---------------------------------------------------------------------------------


def test_agree_sets_what_the_partners_agreed(shared):
    actions.agree(shared, "mecenat", "  Nourrir le quartier  ", "contrat_alliance")

    found = Partnership.objects.get(pk=shared.pk)
    assert (found.category, found.common_objective, found.contract) == (
        "mecenat", "Nourrir le quartier", "contrat_alliance",
    )  # fmt: skip


def test_agree_allows_blanks(shared):
    actions.agree(shared, "", None, "")

    found = Partnership.objects.get(pk=shared.pk)
    assert (found.category, found.common_objective, found.contract) == ("", "", "")


@pytest.mark.parametrize(
    ("category", "contract", "key"),
    [
        ("sport", "", "qualification.category_unknown"),
        ("mecenat_financier", "", "qualification.category_unknown"),
        ("mecenat", "contrat_de_travail", "qualification.contract_unknown"),
    ],
)
def test_agree_refuses_unknown_codes(shared, category, contract, key):
    actions.agree(shared, "innovation_societale", "Avant", "contrat_echange")

    with pytest.raises(EvaluationError) as raised:
        actions.agree(shared, category, "Après", contract)

    assert raised.value.key == key
    found = Partnership.objects.get(pk=shared.pk)
    assert (found.category, found.common_objective, found.contract) == (
        "innovation_societale", "Avant", "contrat_echange",
    )  # fmt: skip


def test_agree_refuses_an_objective_too_long(shared):
    with pytest.raises(EvaluationError) as raised:
        actions.agree(shared, "", "x" * 301, "")

    assert raised.value.key == "qualification.text_too_long"


def test_qualify_sets_objectives_and_contributions(shared, organisation):
    side = shared.sides.get(organisation=organisation)

    actions.qualify(
        side,
        {"processus": "1", "positionnement": 2, "business_model": ""},
        {"money": "  5 000 €  ", "skills": "", "time": "2 jours par mois"},
    )

    found = Side.objects.get(pk=side.pk)
    assert found.objectives == {"processus": 1, "positionnement": 2}
    assert found.contributions == {"money": "5 000 €", "time": "2 jours par mois"}


@pytest.mark.parametrize(
    ("objectives", "contributions", "key"),
    [
        ({"bonheur": 1}, {}, "qualification.objective_unknown"),
        ({"processus": 4}, {}, "qualification.priority_invalid"),
        ({"processus": True}, {}, "qualification.priority_invalid"),
        ({}, {"land": "un terrain"}, "qualification.contribution_unknown"),
        ({}, {"money": "x" * 301}, "qualification.text_too_long"),
    ],
)
def test_qualify_refuses_invalid_input(shared, organisation, objectives, contributions, key):
    side = shared.sides.get(organisation=organisation)
    actions.qualify(side, {"processus": 1}, {"money": "100 €"})

    with pytest.raises(EvaluationError) as raised:
        actions.qualify(side, objectives, contributions)

    assert raised.value.key == key
    found = Side.objects.get(pk=side.pk)
    assert (found.objectives, found.contributions) == ({"processus": 1}, {"money": "100 €"})


# evaluate ---------------------------------------------------------------------------------------


def test_evaluate_appends_to_the_history(shared, organisation):
    first = actions.evaluate(shared, organisation, {"produit": {"performance": "4"}}, {})
    second = actions.evaluate(
        shared,
        organisation,
        {"produit": {"performance": 5, "coherence": ""}, "equilibre": {"sens": "2"}},
        {"produit": "  Très utile.  ", "equilibre": "", "valorisation": None},
    )

    assert Evaluation.objects.filter(partnership=shared).count() == 2
    assert Evaluation.objects.get(pk=first.pk).scores == {"produit": {"performance": 4}}
    found = Evaluation.objects.get(pk=second.pk)
    assert found.scores == {"produit": {"performance": 5}, "equilibre": {"sens": 2}}
    assert found.comments == {"produit": "Très utile."}
    assert found.organisation == organisation


@pytest.mark.parametrize(
    ("scores", "comments", "key"),
    [
        ({"produit": {"performance": 4}}, {"ambiance": "bonne"}, "evaluation.object_unknown"),
        ({"produit": {"performance": 4}}, {"produit": "x" * 1001}, "qualification.text_too_long"),
        ({"produit": {"performance": 6}}, {}, "evaluation.score_invalid"),
        ({"produit": {"performance": "4.5"}}, {}, "evaluation.score_invalid"),
        ({"produit": {"vitesse": 3}}, {}, "evaluation.cell_unknown"),
    ],
)
def test_evaluate_refuses_invalid_input(shared, organisation, scores, comments, key):
    with pytest.raises(EvaluationError) as raised:
        actions.evaluate(shared, organisation, scores, comments)

    assert raised.value.key == key
    assert Evaluation.objects.count() == 0


def test_an_unknown_comment_object_says_where(shared, organisation):
    with pytest.raises(EvaluationError) as raised:
        actions.evaluate(shared, organisation, {"produit": {"sens": 3}}, {"ambiance": "bonne"})

    assert raised.value.message("fr") == (
        "Objet d'évaluation inconnu (champ 'comments.ambiance', valeur 'ambiance')"
    )
    assert raised.value.message("en") == (
        "Unknown evaluation object (field 'comments.ambiance', value 'ambiance')"
    )


# side_by_side -----------------------------------------------------------------------------------


def test_side_by_side_without_two_evaluations_compares_nothing(
    shared, organisation, other_organisation
):
    actions.evaluate(shared, organisation, {"produit": {"performance": 1}}, {})

    views = actions.side_by_side(shared)

    assert views.first is not None
    assert views.second is not None
    assert views.first_latest is not None
    assert views.first.organisation == organisation
    assert views.second.organisation == other_organisation
    assert views.first_latest.scores == {"produit": {"performance": 1}}
    assert views.second_latest is None
    assert views.comparison == []


def test_side_by_side_with_a_single_partner(organisation):
    partnership = actions.start(organisation, "Seuls")

    views = actions.side_by_side(partnership)

    assert views.first is not None
    assert views.first.organisation == organisation
    assert (views.second, views.first_latest, views.second_latest) == (None, None, None)
    assert views.comparison == []


def test_side_by_side_compares_the_latest_evaluations(shared, organisation, other_organisation):
    old = actions.evaluate(shared, organisation, {"produit": {"performance": 5}}, {})
    Evaluation.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=30))
    mine = actions.evaluate(
        shared, organisation, {"produit": {"performance": 1, "coherence": 3}}, {}
    )
    theirs = actions.evaluate(
        shared,
        other_organisation,
        {"produit": {"performance": 4, "coherence": 4}, "equilibre": {"sens": 2}},
        {},
    )

    views = actions.side_by_side(shared)

    assert (views.first_latest, views.second_latest) == (mine, theirs)
    assert [(c.cell.object, c.cell.approach) for c in views.comparison] == [
        (cell.object, cell.approach) for cell in grid()
    ]
    by_cell = {(c.cell.object, c.cell.approach): c for c in views.comparison}
    performance = by_cell["produit", "performance"]
    assert (performance.first, performance.second, performance.gap) == (1, 4, 3)
    assert performance.diverges is True
    coherence = by_cell["produit", "coherence"]
    assert (coherence.first, coherence.second, coherence.gap) == (3, 4, 1)
    assert coherence.diverges is False
    sens = by_cell["equilibre", "sens"]
    assert (sens.first, sens.second, sens.gap, sens.diverges) == (None, 2, None, False)
    assert [key for key, c in by_cell.items() if c.diverges] == [("produit", "performance")]


def test_a_gap_of_exactly_two_diverges(shared, organisation, other_organisation):
    actions.evaluate(shared, organisation, {"valorisation": {"clarte": 5}}, {})
    actions.evaluate(shared, other_organisation, {"valorisation": {"clarte": 3}}, {})

    views = actions.side_by_side(shared)

    cell = next(c for c in views.comparison if c.cell.object == "valorisation" and c.first)
    assert (cell.cell.approach, cell.gap, cell.diverges) == ("clarte", -2, True)


def test_two_tabs_changing_the_same_answer_the_second_is_refused(diagnostic):
    """Both tabs read ``skills`` at version 1; the first saves; the second would undo it."""
    read = dict(Diagnostic.objects.get(pk=diagnostic.pk).versions)
    actions.save_answers(diagnostic, {"skills": 2}, versions={"skills": read["skills"]})

    with pytest.raises(ConflictError) as raised:
        actions.save_answers(
            actions.diagnostic_of(diagnostic.organisation), {"skills": 5},
            versions={"skills": read["skills"]},
        )  # fmt: skip

    assert raised.value.key == "diagnostic.answer_changed"
    assert raised.value.message("en") == (
        "The answer to 'skills' was changed in the meantime (in another tab or by someone else): "
        "reload the page to see the current answer; nothing was saved (field 'skills', value 1)"
    )
    assert raised.value.message("fr").startswith(
        "La réponse à 'skills' a été modifiée entre-temps (dans un autre onglet"
    )
    assert stored(diagnostic) == {"skills": 2, "reserves_months": 3.0}
    assert Diagnostic.objects.get(pk=diagnostic.pk).versions == {"skills": 2, "reserves_months": 1}


def test_a_stale_tab_may_still_change_another_answer(diagnostic):
    """The other tab changed ``skills``; this one changes ``engagement`` (read at version 0)."""
    actions.save_answers(diagnostic, {"skills": 1}, versions={"skills": 1})

    actions.save_answers(diagnostic, {"engagement": 3}, versions={"engagement": 0})

    assert stored(diagnostic) == {"skills": 1, "reserves_months": 3.0, "engagement": 3}


def test_replacing_everything_needs_the_current_version(diagnostic):
    with pytest.raises(ConflictError) as raised:
        actions.save_answers(diagnostic, {"skills": 1}, replace=True, version=0)

    assert raised.value.key == "diagnostic.changed"
    assert raised.value.message("en").startswith(
        "The diagnostic was changed in the meantime (version 1, yours 0)"
    )
    actions.save_answers(diagnostic, {"skills": 1}, replace=True, version=1)
    assert stored(diagnostic) == {"skills": 1}


@pytest.mark.parametrize("version", [-1, "deux", 1.5, True, None, [1], "²", "١"])
def test_a_version_that_is_not_a_whole_number_is_refused(diagnostic, version):
    with pytest.raises(DiagnosticError) as raised:
        actions.save_answers(diagnostic, {"skills": 1}, versions={"skills": version})

    assert raised.value.key == "diagnostic.version_invalid"
    assert raised.value.location.field == "versions.skills"


SIMULTANEOUS = {
    "skills": 3, "engagement": 2, "strategic": 4, "shared_objectives": 5, "largest_funder": 40,
    "investment_share": 10, "evaluated_share": 50, "reserves_months": 6, "partnership_count": 7,
}  # fmt: skip


def simultaneously(work: Callable[[Any], None], arguments: list[Any]) -> list[BaseException]:
    """Run ``work`` once per argument, each in its own thread with its own connection, at once."""
    start = threading.Barrier(len(arguments))
    failures: list[BaseException] = []

    def run(argument: Any) -> None:
        try:
            start.wait()
            work(argument)
        except BaseException as failure:
            failures.append(failure)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return failures


@pytest.mark.django_db(transaction=True)
def test_simultaneous_answers_to_different_questions_all_survive():
    """Nine colleagues answer nine questions at the same instant: nine answers are kept."""
    organisation = Organisation.objects.create(name="Asso (fictive)", profile="associations")

    def answer(code: str) -> None:
        tab = Diagnostic(organisation=organisation)  # each colleague's page, read before
        actions.save_answers(tab, {code: SIMULTANEOUS[code]}, versions={code: 0})

    assert simultaneously(answer, list(SIMULTANEOUS)) == []

    found = Diagnostic.objects.get(organisation=organisation)
    assert found.answers == SIMULTANEOUS
    assert found.versions == dict.fromkeys(SIMULTANEOUS, 1)
    assert found.version == len(SIMULTANEOUS)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_changes_of_one_answer_from_one_version_keep_exactly_one():
    organisation = Organisation.objects.create(name="Asso (fictive)", profile="associations")
    actions.save_answers(actions.diagnostic_of(organisation), {"skills": 1})

    def answer(value: int) -> None:
        tab = Diagnostic(organisation=organisation)  # each tab read ``skills`` at version 1
        actions.save_answers(tab, {"skills": value}, versions={"skills": 1})

    failures = simultaneously(answer, [2, 3, 4, 5])

    assert [type(f) for f in failures] == [ConflictError] * 3
    found = Diagnostic.objects.get(organisation=organisation)
    assert found.answers["skills"] in (2, 3, 4, 5)
    assert (found.versions, found.version) == ({"skills": 2}, 2)


# Agreed terms' history ---------------------------------------------------------------------------


def test_each_change_of_the_terms_leaves_a_revision(shared, organisation, people):
    actions.agree(shared, "mecenat", "Nourrir le quartier", "", by=organisation,
                  author=people["editor"])  # fmt: skip
    actions.agree(shared, common_objective="", by=organisation, author=people["owner"], version=1)

    shared.refresh_from_db()
    assert (shared.category, shared.common_objective, shared.agreement_version) == (
        "mecenat", "", 2,
    )  # fmt: skip
    revisions = list(shared.agreement_revisions.all())
    assert [(r.author, r.organisation, r.changes) for r in revisions] == [
        (people["owner"], organisation, {"common_objective": ["Nourrir le quartier", ""]}),
        (people["editor"], organisation,
         {"category": ["", "mecenat"], "common_objective": ["", "Nourrir le quartier"]}),
    ]  # fmt: skip


def test_giving_no_term_is_refused_and_changes_nothing(shared, organisation):
    actions.agree(shared, "mecenat", "Nourrir", "contrat_alliance", by=organisation)

    with pytest.raises(EvaluationError) as raised:
        actions.agree(shared, by=organisation)

    assert raised.value.key == "qualification.agreement_empty"
    shared.refresh_from_db()
    assert (shared.category, shared.common_objective, shared.contract) == (
        "mecenat", "Nourrir", "contrat_alliance",
    )  # fmt: skip
    assert AgreementRevision.objects.filter(partnership=shared).count() == 1


def test_the_same_terms_again_leave_no_revision(shared, organisation):
    actions.agree(shared, "mecenat", "", "", by=organisation)
    actions.agree(shared, "mecenat", "", "", by=organisation)

    shared.refresh_from_db()
    assert shared.agreement_version == 1
    assert AgreementRevision.objects.filter(partnership=shared).count() == 1


def test_a_change_based_on_terms_a_partner_changed_since_is_refused(
    shared, organisation, other_organisation
):
    actions.agree(shared, "mecenat", "Le leur", "", by=other_organisation, version=0)

    with pytest.raises(ConflictError) as raised:
        actions.agree(shared, "", "Le nôtre", "", by=organisation, version=0)

    assert raised.value.key == "qualification.agreement_changed"
    assert raised.value.message("fr").startswith(
        "Les termes convenus ont été modifiés entre-temps par un partenaire (version 1, la vôtre 0)"
    )
    shared.refresh_from_db()
    assert shared.common_objective == "Le leur"


# Plain text and empty evaluations ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"), [("Jardin\x00", "U+0000"), ("Jar\x1b[31mdin", "U+001B"),
                       ("Jardin\npartagé", "U+000A"), ("\ud800", "U+D800")],
)  # fmt: skip
def test_control_characters_are_refused_in_titles(organisation, text, code):
    with pytest.raises(EvaluationError) as raised:
        actions.start(organisation, text)

    assert raised.value.key == "qualification.text_control"
    assert code in raised.value.message("en")
    assert raised.value.location.field == "title"
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("value", [{"a": 1}, ["Jardin"], 42])
def test_a_title_that_is_not_text_is_refused_not_stored_as_python(organisation, value):
    with pytest.raises(EvaluationError) as raised:
        actions.start(organisation, value)

    assert raised.value.key == "qualification.text_expected"
    assert raised.value.message("fr") == (
        f"Il faut un texte ici, pas une valeur de type {type(value).__name__} (champ 'title')"
    )


def test_comments_keep_their_newlines_and_tabs_but_no_other_control(shared, organisation):
    evaluation = actions.evaluate(
        shared, organisation, {"produit": {"sens": 4}}, {"produit": "Bien\r\n\tvraiment"}
    )
    assert evaluation.comments == {"produit": "Bien\n\tvraiment"}

    with pytest.raises(EvaluationError) as raised:
        actions.evaluate(shared, organisation, {"produit": {"sens": 4}}, {"produit": "a\x07b"})
    assert raised.value.location.field == "comments.produit"


def test_an_evaluation_with_every_cell_blank_is_refused(shared, organisation):
    actions.evaluate(shared, organisation, {"produit": {"sens": 4}}, {})
    blank = {cell.object: {cell.approach: ""} for cell in grid()}

    with pytest.raises(EvaluationError) as raised:
        actions.evaluate(shared, organisation, blank, {"produit": "rien à dire"})

    assert raised.value.key == "evaluation.empty"
    assert raised.value.message("en") == (
        "Empty evaluation: score at least one cell of the grid (1 to 5) (field 'scores')"
    )
    assert Evaluation.objects.filter(partnership=shared).count() == 1
