"""Accounts: people log in with their e-mail; observatory staff have a role (analyst, admin)."""
