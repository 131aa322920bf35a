"""Allow ``python -m alliance`` as well as the ``alliance`` console script."""

from alliance.cli import main

main()
