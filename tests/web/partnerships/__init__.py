"""The partnerships app: diagnostics, partnerships, invitations, evaluations, export, erasure."""
