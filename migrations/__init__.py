"""Alembic migrations; installed as tracker.migrations (see pyproject.toml)."""
