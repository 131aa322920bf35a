"""Template filters of the platform."""
