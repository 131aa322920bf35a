"""Template tags that show jobs."""
