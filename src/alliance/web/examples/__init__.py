"""The catalogue of inspiring examples (« exemples inspirants »), searchable and faceted."""
