"""Write ``seed-shingles.txt``: a fingerprint of every 12-word run of the seed notebook.

The notebook's prose must paraphrase the seed (« ODD 17 : Alliance & Performance »), never copy
it. The test (``tests/demo/test_notebook_chapters.py``) compares the prose's 12-word runs with
these fingerprints, so the repository holds no copy of the seed's text. Rerun when the seed
changes::

    python tests/demo/data/make_seed_shingles.py ../shared/seed/alliance-performance.txt
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[3]))

from tests.demo.test_notebook_chapters import RUN, fingerprints

if __name__ == "__main__":
    seed = Path(sys.argv[1]).read_text(encoding="utf-8")
    lines = sorted(fingerprints(seed))
    header = (
        f"# SHA-256 (16 hex digits) of every {RUN}-word run of the seed (make_seed_shingles.py)\n"
    )
    (Path(__file__).parent / "seed-shingles.txt").write_text(
        header + "\n".join(lines) + "\n", encoding="utf-8"
    )
