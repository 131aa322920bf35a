"""Practical next steps from the diagnostic and the partnerships, for the organisation's profile.

The rules are simple and stated: strengthen the weakest lever first; reduce dependence on the
largest funder above half of the resources; evaluate partnerships with the partners when few are;
qualify partnerships with the carré magique when objectives are not shared; open to categories
not yet used; and read the practice sheet of the profile. Each step links to referential items and
to the inspiring examples that match (category or profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alliance.diagnostic.scoring import Scores
from alliance.referential import default_referential
from alliance.referential.model import LocalizedText

__all__ = ["NextStep", "next_steps"]

#: Below this score a lever or an answer calls for a step.
WEAK = 50.0


@dataclass(frozen=True)
class NextStep:
    """A step: what to do, why, the referential items it rests on, examples to look at."""

    code: str
    title: LocalizedText
    why: LocalizedText
    targets: list[str]
    examples: dict[str, str] = field(default_factory=dict)


def _text(fr: str, en: str) -> LocalizedText:
    return LocalizedText(fr=fr, en=en)


LEVER_STEPS = {
    "richesses_humaines": (
        _text("Renforcer vos richesses humaines", "Strengthen your human resources"),
        _text(
            "C'est votre levier le plus faible : diversifier les engagements (bénévolat, "
            "volontariat, compétences) et les fidéliser rééquilibre la maison.",
            "It is your weakest lever: diversifying commitments (volunteering, civic service, "
            "skills) and keeping people involved rebalances the house.",
        ),
    ),
    "ressources_financieres": (
        _text("Consolider vos ressources financières", "Consolidate your financial resources"),
        _text(
            "C'est votre levier le plus faible : hybrider les ressources (publiques, privées, "
            "revenus d'activités) et constituer des réserves donne de la marge de manœuvre.",
            "It is your weakest lever: mixing resources (public, private, earned) and building "
            "reserves gives room to manoeuvre.",
        ),
    ),
    "alliances": (
        _text("Faire des alliances un levier stratégique", "Make alliances a strategic lever"),
        _text(
            "C'est votre levier le plus faible : des partenariats choisis pour votre stratégie, "
            "sur des objectifs partagés et évalués, complètent les deux autres leviers.",
            "It is your weakest lever: partnerships chosen for your strategy, on shared and "
            "evaluated objectives, complement the other two levers.",
        ),
    ),
}


def next_steps(
    scores: Scores, profile: str, *, categories_used: list[str] | None = None
) -> list[NextStep]:
    """Return the steps that follow from the scores, most important first."""
    referential = default_referential()
    steps: list[NextStep] = []
    weakest = scores.weakest
    if weakest is not None and (scores.levers[weakest] or 0) < 75:
        title, why = LEVER_STEPS[weakest]
        components = [f"levers/{c.code}" for c in referential.framework("levers").children(weakest)]
        steps.append(NextStep(f"lever-{weakest}", title, why, [f"levers/{weakest}", *components]))
    if scores.questions.get("largest_funder", 100) < WEAK:
        steps.append(
            NextStep(
                "funder-dependence",
                _text(
                    "Réduire la dépendance à votre premier financeur",
                    "Depend less on your largest funder",
                ),
                _text(
                    "Plus de la moitié de vos ressources vient d'un seul financeur : chercher "
                    "d'autres sources, dont le mécénat, réduit ce risque.",
                    "More than half of your resources come from one funder: other sources, "
                    "philanthropy among them, reduce that risk.",
                ),
                ["levers/financement_prive", "levers/mecenat", "levers/revenus_activites"],
                {"category": "mecenat"},
            )
        )
    if scores.questions.get("evaluated_share", 100) < WEAK:
        steps.append(
            NextStep(
                "evaluate",
                _text(
                    "Évaluer vos partenariats avec vos partenaires",
                    "Evaluate your partnerships with your partners",
                ),
                _text(
                    "Peu de vos partenariats sont évalués : l'évaluation conjointe (produit, "
                    "équilibre, valorisation) montre ce que chacun en retire.",
                    "Few of your partnerships are evaluated: a joint evaluation (product, "
                    "balance, value of contributions) shows what each partner gains.",
                ),
                [
                    f"evaluation-objects/{o.code}"
                    for o in referential.framework("evaluation-objects")
                ],
            )
        )
    if (
        scores.questions.get("shared_objectives", 100) < WEAK
        or scores.questions.get("strategic", 100) < WEAK
    ):
        steps.append(
            NextStep(
                "magic-square",
                _text(
                    "Qualifier vos partenariats avec le carré magique",
                    "Qualify your partnerships with the magic square",
                ),
                _text(
                    "Vos partenariats servent peu des objectifs partagés : situer les objectifs "
                    "de chacun dans le carré magique aide à bâtir une alliance.",
                    "Your partnerships serve few shared objectives: placing each partner's "
                    "objectives in the magic square helps build an alliance.",
                ),
                [f"objectives/{o.code}" for o in referential.framework("objectives")],
            )
        )
    roots = [c.code for c in referential.framework("partnership-categories").roots()]
    unused = [c for c in roots if c not in (categories_used or [])]
    if categories_used is not None and unused:
        steps.append(
            NextStep(
                "new-category",
                _text(
                    "Explorer une autre catégorie de partenariat",
                    "Explore another partnership category",
                ),
                _text(
                    "Des exemples inspirants montrent ce que cette catégorie apporte à des "
                    "organisations comme la vôtre.",
                    "Inspiring examples show what this category brings to organisations "
                    "like yours.",
                ),
                [f"partnership-categories/{unused[0]}"],
                {"category": unused[0]},
            )
        )
    profiles = referential.framework("actor-profiles")
    if profile in profiles and getattr(profiles.item(profile), "practice_sheet", None):
        steps.append(
            NextStep(
                "practice-sheet",
                _text(
                    "Lire la fiche pratique de votre profil",
                    "Read the practice sheet of your profile",
                ),
                _text(
                    "Le Rameau publie des fiches pratiques par profil d'acteur, issues des travaux "
                    "de l'Observatoire.",
                    "Le Rameau publishes practice sheets per actor profile, drawn from the "
                    "Observatoire's work.",
                ),
                [f"actor-profiles/{profile}"],
                {"profile": profile},
            )
        )
    return steps
