"""The referential explorer: every framework as a readable page, in French and English."""
