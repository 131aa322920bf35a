"""The diagnostic instrument: versioned data checked against the referential's levers."""

from __future__ import annotations

import pytest

from alliance.diagnostic import LEVERS, QuestionType, default_instrument, root_profile
from alliance.errors import DiagnosticError

pytestmark = pytest.mark.unit


def test_every_lever_has_questions_for_every_profile():
    instrument = default_instrument()

    for profile in ("associations", "entreprises", "fondations", "institutions"):
        levers = {q.lever for q in instrument.for_profile(profile)}
        assert levers == set(LEVERS), profile


def test_profiles_get_their_variant_of_the_people_mix():
    instrument = default_instrument()

    association = next(q for q in instrument.for_profile("associations") if q.code == "people_mix")
    company = next(q for q in instrument.for_profile("entreprises") if q.code == "people_mix")

    assert association.parts == ["benevoles", "salaries", "volontaires"]
    assert company.parts == ["salaries", "mecenat_competences"]
    assert association.type is QuestionType.MIX


def test_instrument_is_versioned_and_marked_inferred():
    instrument = default_instrument()

    assert (instrument.version, instrument.status) == ("2026.1", "inferred")
    assert "reconstruction" in instrument.sources


@pytest.mark.parametrize(
    ("profile", "root"),
    [
        ("pme", "entreprises"),
        ("collectivites_territoriales", "institutions"),
        ("associations", "associations"),
    ],
)
def test_sub_profiles_answer_their_root_profile_questions(profile, root):
    assert root_profile(profile) == root


def test_a_question_citing_a_non_lever_is_refused(tmp_path):
    path = tmp_path / "instrument.yaml"
    path.write_text(
        'instrument: x\nversion: "1"\nstatus: inferred\nsources: [reconstruction]\n'
        "questions:\n  - code: q\n    lever: nowhere\n    type: scale\n"
        "    label: {fr: Question, en: Question}\n",
        encoding="utf-8",
    )

    with pytest.raises(DiagnosticError) as caught:
        default_instrument.__wrapped__(path)

    assert caught.value.message("en") == (
        "Question 'q' cites 'nowhere', which is not a lever of the referential"
    )
