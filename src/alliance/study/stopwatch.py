"""Time spent in each step of a study's run, for progress bars and for ``make bench``.

The steps are the analyst's words for the work: read, check, weight, estimate, charts, PDF. Each
step can tell a listener when it starts (the CLI moves its progress bar), and adds its duration
to its total, so the benchmark says which step dominates.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["STEPS", "Stopwatch"]

#: The steps of a run, in order.
STEPS = ("read", "check", "weight", "estimate", "charts", "pdf", "write")


class Stopwatch:
    """Seconds spent per step; ``listener`` hears each step's name and subject as it starts."""

    def __init__(self, listener: Callable[[str, str], None] | None = None) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.listener = listener

    @contextmanager
    def step(self, name: str, subject: str = "") -> Iterator[None]:
        """Time the block as part of step ``name`` (about ``subject``: a population, a file)."""
        if self.listener is not None:
            self.listener(name, subject)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started

    def slowest(self) -> str:
        """Return the step that took longest."""
        return max(self.seconds, key=self.seconds.__getitem__)
