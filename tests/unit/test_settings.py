import pytest

from forum.core.settings import SettingsError, load_settings


def test_production_refuses_to_start_without_a_secret_key() -> None:
    with pytest.raises(SettingsError, match="SECRET_KEY is not set"):
        load_settings({"SINERGI_ENV": "production"})
    with pytest.raises(SettingsError, match="SECRET_KEY is not set"):
        load_settings({"SINERGI_ENV": "test"})
    with pytest.raises(SettingsError, match="at least 32"):
        load_settings({"SINERGI_ENV": "production", "SECRET_KEY": "short"})


def test_defaults_are_the_embedded_sqlite_database() -> None:
    settings = load_settings({})
    assert settings.environment == "development" and not settings.uses_postgres
    assert settings.sqlite_path.name == "sinergi.sqlite3" and not settings.secure_cookies


def test_production_settings() -> None:
    settings = load_settings(
        {"SINERGI_ENV": "production", "SECRET_KEY": "x" * 40, "DATABASE_URL": "postgresql://u@h/db", "PORT": "9000"}
    )
    assert settings.uses_postgres and settings.secure_cookies and settings.port == 9000
    assert settings.page_cache_seconds == 2


def test_bad_numbers_are_reported_by_name() -> None:
    with pytest.raises(SettingsError, match="PORT must be an integer"):
        load_settings({"PORT": "delapan ribu"})
