"""Organisations' own data: diagnostic, partnerships qualified by both partners, evaluations.

Private to the organisations concerned (see :mod:`alliance.web.permissions`).
"""
