"""The web platform (Django): a thin door into the core, like the CLI.

Pages and the REST API read the referential, the inspiring examples and the study results, and
keep each organisation's data to its members. Permissions are written once
(:mod:`alliance.web.permissions`) and used by pages and API alike.
"""
