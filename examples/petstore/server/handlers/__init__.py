"""Handler modules, one per tag (yours to edit)."""
