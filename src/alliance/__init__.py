"""Alliance Observatory: how alliances between organisations drive their performance.

The core packages (:mod:`alliance.referential` and, as they land, ``survey``, ``diagnostic``,
``evaluation``, ``territory``, ``report``) are plain Python; the CLI and the web platform call them.
"""

#: The package's version, also read by the build (pyproject's ``[tool.hatch.version]``).
__version__ = "0.1.0"
__all__ = ["__version__"]
