"""Create the test database, migrate it once per run, and empty it after every test."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from forum.core.settings import get_settings


async def _create_postgres_database(url: str) -> None:
    import asyncpg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    connection = await asyncpg.connect(maintenance)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists:
            await connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def create_database_and_migrate() -> None:
    """A fresh database for this run, built by the real migrations (so they are tested too)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    settings = get_settings()
    if settings.database_url:
        await _create_postgres_database(settings.database_url)
    result = await run_forwards(app_name="forum", migration_id="all")
    assert result.success, result.message


async def wipe() -> None:
    from forum.core.db import engine, is_sqlite
    from forum.core.tables import ALL_TABLES

    names = [table._meta.tablename for table in ALL_TABLES]
    if is_sqlite():
        for name in reversed(names):
            await engine().run_ddl(f'DELETE FROM "{name}"')
    else:
        await engine().run_ddl(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
