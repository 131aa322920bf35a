"""Logs on stderr as ``key=value`` lines, one per event, a traceback following when there is one.

Operators grep and ship them as they are. A request's method, path and status are written, never
its query string, headers, cookies or body: they may carry tokens, passwords or personal data.
Secret links carry their token in the path (invitations, a respondent's resume link, password
resets): the token is written ``…`` in the path and in the message, so logs kept beside the
database do not hold what joins an address to answers.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime

__all__ = ["KeyValueFormatter", "redacted"]


#: Paths whose last part is a secret token: the part before it is kept.
SECRET_PATHS = re.compile(
    r"(/collect/invitation/|/collect/[^/\s]+/r/|/invitations/|/accounts/reset/[^/\s]+/"
    r"|/accounts/signup/confirm/[^/\s]+/)[^/\s]+"
)


def redacted(text: str) -> str:
    """Return ``text`` with the tokens of secret links replaced by ``…``."""
    return SECRET_PATHS.sub(r"\1…", text)


def _quoted(value: object) -> str:
    text = str(value)
    if text and not any(c in text for c in ' "=\n'):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


class KeyValueFormatter(logging.Formatter):
    """Format a record as ``time=… level=… logger=… method=… path=… status=… message=…``."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record's line, then its traceback."""
        fields: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            fields |= {"method": request.method, "path": redacted(request.path)}
        status = getattr(record, "status_code", None)
        if status is not None:
            fields["status"] = status
        fields["message"] = redacted(record.getMessage())
        line = " ".join(f"{key}={_quoted(value)}" for key, value in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line
