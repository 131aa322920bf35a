"""A saved or deleted self-assessment drops the public copies (connected in the app's ``ready``).

Pages and the API save versions through :func:`~alliance.web.territories.views.save_assessment`;
administrators may delete one in the admin (a note holding personal data, say). Either way the
public must not keep reading the former version from the cache for a minute.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alliance.errors import LookupFailedError
from alliance.territory.territory import find_territory
from alliance.web.territories.figures import forget_self_assessment
from alliance.web.territories.models import SelfAssessment

__all__ = ["self_assessment_changed"]


@receiver(post_save, sender=SelfAssessment, dispatch_uid="alliance.territories.saved")
@receiver(post_delete, sender=SelfAssessment, dispatch_uid="alliance.territories.deleted")
def self_assessment_changed(sender: Any, instance: SelfAssessment, **kwargs: Any) -> None:
    """Drop the public copies of the self-assessment of ``instance``'s territory.

    A territory the geography no longer knows has no page, hence no copy to drop.
    """
    with suppress(LookupFailedError):
        forget_self_assessment(find_territory(instance.kind, instance.code))
