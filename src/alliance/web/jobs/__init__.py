"""Background jobs: long work (study runs, PDFs) queued in the platform's own database."""
