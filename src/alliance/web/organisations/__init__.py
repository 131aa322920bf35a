"""Organisations and their members: whose data is whose."""
