"""A small pet store served by specloom.runtime (hand-written until the generator lands)."""
