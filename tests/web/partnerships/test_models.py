"""The partnerships' models: diagnostic scores, invitation tokens, one side each, history order."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.web.partnerships.models import Diagnostic, Evaluation, Invitation, Partnership, Side

pytestmark = pytest.mark.integration


@pytest.fixture
def partnership(organisation) -> Partnership:
    found = Partnership.objects.create(title="Jardin partagé du quartier")
    Side.objects.create(partnership=found, organisation=organisation)
    return found


# Diagnostic.scores ------------------------------------------------------------------------------


def test_scores_of_an_empty_diagnostic(organisation):
    diagnostic = Diagnostic.objects.create(organisation=organisation, instrument_version="2026.1")

    scores = diagnostic.scores()

    assert scores.questions == {}
    assert scores.levers == {
        "richesses_humaines": None, "ressources_financieres": None, "alliances": None,
    }  # fmt: skip
    assert scores.overall is None
    assert scores.balance is None
    assert scores.weakest is None


def test_scores_per_lever_overall_and_no_balance_until_every_lever_is_answered(organisation):
    diagnostic = Diagnostic.objects.create(
        organisation=organisation,
        instrument_version="2026.1",
        answers={"skills": 5, "engagement": 1, "reserves_months": 3},
    )

    scores = diagnostic.scores()

    assert scores.questions == {"skills": 100.0, "engagement": 0.0, "reserves_months": 50.0}
    assert scores.levers == {
        "richesses_humaines": 50.0, "ressources_financieres": 50.0, "alliances": None,
    }  # fmt: skip
    assert scores.overall == 50.0
    assert scores.balance is None


def test_scores_with_every_lever_give_the_balance(organisation):
    diagnostic = Diagnostic.objects.create(
        organisation=organisation,
        instrument_version="2026.1",
        answers={"skills": 5, "investment_share": 30, "partnership_count": 1},
    )

    scores = diagnostic.scores()

    assert scores.levers == {
        "richesses_humaines": 100.0, "ressources_financieres": 100.0, "alliances": 20.0,
    }  # fmt: skip
    assert scores.overall == pytest.approx(220 / 3)
    assert scores.balance == 20.0
    assert scores.weakest == "alliances"


def test_scores_follow_the_root_profile_of_a_pme(other_organisation):
    """A PME answers the companies' variant of the human resources mix."""
    diagnostic = Diagnostic.objects.create(
        organisation=other_organisation,
        instrument_version="2026.1",
        answers={"people_mix": {"salaries": 50.0, "mecenat_competences": 50.0}},
    )

    assert diagnostic.scores().levers["richesses_humaines"] == pytest.approx(100.0)


def test_scores_leave_out_a_stored_answer_that_no_longer_fits(other_organisation):
    """An answer of another profile, or saved before its bound: reading still works."""
    diagnostic = Diagnostic.objects.create(
        organisation=other_organisation,
        instrument_version="2026.1",
        answers={"people_mix": {"benevoles": 100.0}, "reserves_months": 1e30, "skills": 5},
    )

    assert diagnostic.scores().questions == {"skills": 100.0}


def test_one_diagnostic_per_organisation(organisation):
    Diagnostic.objects.create(organisation=organisation, instrument_version="2026.1")

    with pytest.raises(IntegrityError), transaction.atomic():
        Diagnostic.objects.create(organisation=organisation, instrument_version="2026.1")


# Partnership ------------------------------------------------------------------------------------


def test_a_partnership_reads_as_its_title(partnership):
    assert str(partnership) == "Jardin partagé du quartier"


def test_a_partnership_lists_its_partners(partnership, organisation, other_organisation):
    Side.objects.create(partnership=partnership, organisation=other_organisation)

    assert set(partnership.organisations.all()) == {organisation, other_organisation}
    assert list(organisation.partnerships.all()) == [partnership]


# Side -------------------------------------------------------------------------------------------


def test_one_side_per_partner_and_partnership(partnership, organisation):
    with pytest.raises(IntegrityError), transaction.atomic():
        Side.objects.create(partnership=partnership, organisation=organisation)

    assert Side.objects.filter(partnership=partnership).count() == 1


def test_the_same_organisation_may_be_in_several_partnerships(partnership, organisation):
    other = Partnership.objects.create(title="Chantier d'insertion")

    Side.objects.create(partnership=other, organisation=organisation)

    assert organisation.sides.count() == 2


def test_a_side_starts_empty(partnership):
    side = partnership.sides.get()

    assert side.objectives == {}
    assert side.contributions == {}


# Invitation -------------------------------------------------------------------------------------


def test_create_returns_a_token_whose_sha256_digest_only_is_stored(partnership, organisation):
    invitation, token = Invitation.create(partnership, "partenaire@demo.invalid", organisation)

    stored = Invitation.objects.get(pk=invitation.pk)
    assert len(token) >= 32
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert len(stored.digest) == 64
    row = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert token not in {str(value) for value in row.values()}
    assert stored.email == "partenaire@demo.invalid"
    assert stored.invited_by == organisation
    assert stored.accepted_by is None


def test_each_invitation_gets_its_own_token(partnership, organisation):
    first, first_token = Invitation.create(partnership, "a@demo.invalid", organisation)
    second, second_token = Invitation.create(partnership, "b@demo.invalid", organisation)

    assert first_token != second_token
    assert first.digest != second.digest


def test_find_by_token(partnership, organisation):
    invitation, token = Invitation.create(partnership, "partenaire@demo.invalid", organisation)

    assert Invitation.find(token) == invitation
    assert Invitation.find(token + "x") is None
    assert Invitation.find(invitation.digest) is None
    assert Invitation.find("") is None


def test_an_accepted_invitation_is_no_longer_found(partnership, organisation, other_organisation):
    invitation, token = Invitation.create(partnership, "partenaire@demo.invalid", organisation)
    invitation.accepted_by = other_organisation
    invitation.save()

    assert Invitation.find(token) is None
    assert Invitation.objects.filter(pk=invitation.pk).exists()


# Evaluation -------------------------------------------------------------------------------------


def test_evaluations_are_ordered_newest_first(partnership, organisation):
    older = Evaluation.objects.create(partnership=partnership, organisation=organisation)
    newer = Evaluation.objects.create(partnership=partnership, organisation=organisation)
    oldest = Evaluation.objects.create(partnership=partnership, organisation=organisation)
    now = timezone.now()
    Evaluation.objects.filter(pk=older.pk).update(created=now - timedelta(days=1))
    Evaluation.objects.filter(pk=newer.pk).update(created=now)
    Evaluation.objects.filter(pk=oldest.pk).update(created=now - timedelta(days=2))

    assert list(Evaluation.objects.all()) == [newer, older, oldest]
    assert list(partnership.evaluations.all()) == [newer, older, oldest]
    assert Evaluation._meta.ordering == ("-created", "-pk")


def test_an_evaluation_starts_empty(partnership, organisation):
    evaluation = Evaluation.objects.create(partnership=partnership, organisation=organisation)

    assert evaluation.scores == {}
    assert evaluation.comments == {}


def test_scored_lists_every_score_in_the_grid_order(partnership, organisation):
    evaluation = Evaluation.objects.create(
        partnership=partnership,
        organisation=organisation,
        scores={"produit": {"performance": 4, "sens": 2}, "equilibre": {"clarte": 5}},
    )

    assert evaluation.scored() == [4, 2, 5]
    assert evaluation.mean() == pytest.approx(11 / 3)


def test_an_empty_evaluation_has_no_mean(partnership, organisation):
    evaluation = Evaluation.objects.create(partnership=partnership, organisation=organisation)

    assert evaluation.scored() == []
    assert evaluation.mean() is None
