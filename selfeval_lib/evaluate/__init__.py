"""Stage 3: a unit's indicators computed from its figures, and scored against its framework."""
