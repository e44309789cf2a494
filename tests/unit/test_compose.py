"""compose.yaml cannot be run here (no Docker engine); at least keep it well-formed and honest."""

from pathlib import Path

import yaml

COMPOSE = yaml.safe_load((Path(__file__).resolve().parents[2] / "compose.yaml").read_text())


def test_services_and_pinned_official_images() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "redis", "meilisearch", "migrate", "web"}
    assert services["meilisearch"]["image"] == "getmeili/meilisearch:v1.21"
    assert services["postgres"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")


def test_web_starts_only_after_migrations_finished() -> None:
    web = COMPOSE["services"]["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert COMPOSE["services"]["migrate"]["command"] == ["sinergi", "migrate"]


def test_secrets_come_from_the_environment() -> None:
    text = (Path(__file__).resolve().parents[2] / "compose.yaml").read_text()
    for secret in ("SECRET_KEY", "POSTGRES_PASSWORD", "MEILI_MASTER_KEY"):
        assert f"${{{secret}:?" in text  # required, never defaulted
