"""Alliance Observatory: how alliances between organisations drive their performance.

The core packages (:mod:`alliance.referential` and, as they land, ``survey``, ``diagnostic``,
``evaluation``, ``territory``, ``report``) are plain Python; the CLI and the web platform call them.
"""

from importlib.metadata import version

__version__ = version("alliance")
__all__ = ["__version__"]
