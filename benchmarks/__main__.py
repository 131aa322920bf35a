"""Run every benchmark and print its timings and ratios: ``make bench``.

Each benchmark compares our code with a reference doing the same work. For the referential there
is no external tool doing the same work, so the reference is the floor: parsing the same YAML files
with PyYAML and nothing else. The ratio is the price of validation and cross-reference checks.
Then the import of a 1M-row survey file against the plain readers (:mod:`benchmarks.import_bench`)
and the survey engine's job against R's ``survey``, samplics and svy
(:mod:`benchmarks.survey_bench`), issue 12's estimators against R at 1M respondents
(:mod:`benchmarks.estimators_bench`), the whole ``alliance survey estimate`` process against Polars
alone with its peak memory (:mod:`benchmarks.process_bench`), ``alliance territory import-sirene``
of 1M establishments against Polars reading them (:mod:`benchmarks.registry_import`), ``alliance
study run`` step by step on the demo study and on a 1M-respondent wave
(:mod:`benchmarks.study_bench`), and the web platform under 50 concurrent users
(:mod:`benchmarks.web_load`), readers' latency while a study runs in the background
(:mod:`benchmarks.workspace_load`), a department's territory API with a million actors in
PostgreSQL under 20 clients (:mod:`benchmarks.territory_api`), its reliability under 50 and 200
clients mixing writes and PDF reports, then ``kill -9`` (:mod:`benchmarks.reliability`). First, the
start-up time of the ``alliance`` command itself (:mod:`benchmarks.startup`), against its 0.3 s
goal.
"""

from __future__ import annotations

import statistics
import sys
import timeit
from collections.abc import Callable

from benchmarks import (
    estimators_bench,
    import_bench,
    process_bench,
    referential_loading,
    registry_import,
    reliability,
    replicates_bench,
    startup,
    study_bench,
    survey_bench,
    territory_api,
    web_load,
    workspace_load,
)

Benchmark = tuple[str, Callable[[], None], str, Callable[[], None]]

BENCHMARKS: list[Benchmark] = [*referential_loading.BENCHMARKS]


def best_of(function: Callable[[], None], repeat: int = 7) -> float:
    """Return the best time of ``repeat`` runs, each long enough to time reliably (seconds)."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=repeat, number=number)) / number


def main() -> int:
    startup.main([])
    print()
    print(f"{'benchmark':<40} {'ours':>12} {'reference':>12} {'ratio':>8}  reference is")
    ratios = []
    for name, ours, reference_name, reference in BENCHMARKS:
        our_time, reference_time = best_of(ours), best_of(reference)
        ratio = our_time / reference_time
        ratios.append(ratio)
        print(
            f"{name:<40} {our_time * 1e3:>10.2f}ms {reference_time * 1e3:>10.2f}ms "
            f"{ratio:>7.2f}x  {reference_name}"
        )
    print(f"geometric mean of ratios: {statistics.geometric_mean(ratios):.2f}x (lower is better)")
    print()
    import_bench.main()
    print()
    study_bench.main()
    print()
    web_load.main([])
    print()
    workspace_load.main([])
    print()
    territory_api.main([])
    print()
    reliability.main([])
    print()
    estimators_bench.main([])
    replicates_bench.main([])
    print()
    process_bench.main([])
    print()
    registry_import.main([])
    print()
    return survey_bench.main([])


if __name__ == "__main__":
    sys.exit(main())
