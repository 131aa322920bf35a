"""Logs on stderr as ``key=value`` lines, one per event, a traceback following when there is one.

Operators grep and ship them as they are. A request's method, path and status are written, never
its query string, headers, cookies or body: they may carry tokens, passwords or personal data.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

__all__ = ["KeyValueFormatter"]


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
            fields |= {"method": request.method, "path": request.path}
        status = getattr(record, "status_code", None)
        if status is not None:
            fields["status"] = status
        fields["message"] = record.getMessage()
        line = " ".join(f"{key}={_quoted(value)}" for key, value in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line
