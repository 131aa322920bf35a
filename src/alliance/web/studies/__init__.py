"""The analysts' workspace: studies' files, runs, publications and their audit trail."""
