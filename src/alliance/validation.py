"""Turn pydantic's validation errors into the project's located, bilingual messages.

pydantic describes a problem by an error *type* (``missing``, ``string_pattern_mismatch``…) with
English text. Users need the problem in French or English and the place in their own file, so each
type maps to a message key ``validation.<type>`` filled with pydantic's context values.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import ErrorDetails

from alliance.messages import MESSAGES

__all__ = ["message_for"]


def message_for(error: ErrorDetails) -> tuple[str, dict[str, Any]]:
    """Return the message key and parameters that describe one pydantic error.

    Types without a message of their own fall back to ``validation.other`` with pydantic's text.

    Examples
    --------
    >>> message_for({"type": "missing", "loc": ("label",), "msg": "Field required", "input": {}})
    ('validation.missing', {})
    """
    key = f"validation.{error['type']}"
    if key in MESSAGES:
        return key, dict(error.get("ctx") or {})
    return "validation.other", {"problem": error["msg"]}
