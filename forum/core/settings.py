"""Settings from the environment. This module is the only reader of ``os.environ``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from forum.core.proxies import IPNetwork, parse_networks

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # forum/core/settings.py → the checkout

_DEV_SECRET = "dev-only-insecure-secret-key-change-me-000000"


class SettingsError(RuntimeError):
    """Raised when the environment cannot produce a safe configuration."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "")
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True, slots=True)
class Settings:
    environment: str
    secret_key: str
    database_url: str | None
    sqlite_path: Path
    data_dir: Path
    redis_url: str | None
    meili_url: str | None
    meili_key: str | None
    meili_index: str
    meili_bin: str | None
    base_url: str
    fast_password_hashing: bool
    login_max_per_ip: int
    login_max_per_account: int
    login_window_seconds: int
    max_body_chars: int
    post_min_interval_seconds: int
    new_member_daily_posts: int
    review_first_posts: int
    register_max_per_ip: int
    flags_to_hide: int
    log_level: str
    port: int
    page_cache_seconds: int
    dashboard_recount_seconds: int  # background recount of the dashboard's roll-up; 0 (tests only): never
    housekeeping_seconds: int = 3600  # how often spent rows (old rate-limit hits) are pruned; 0: never
    # Retention (UU PDP: kept no longer than needed), pruned by forum.core.housekeeping.
    notification_keep_days: int = 365
    search_miss_keep_days: int = 180
    sent_mail_keep_days: int = 30  # sent mail keeps its address and subject (its body is blanked once sent)
    # Proxies whose X-Forwarded-For / -Proto are believed (forum/core/proxies.py); empty trusts no header.
    forwarded_allow_ips: tuple[IPNetwork, ...] = ()
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_from: str = "Sinergi <noreply@localhost>"
    smtp_security: str = "starttls"
    mail_seconds: int = 5  # how often the mail worker sends queued mail; 0 (tests): only when asked
    # Addresses at these domains (and their subdomains) are verified once confirmed; others wait for an agency admin.
    official_email_domains: tuple[str, ...] = ("go.id",)
    # Single sign-on (forum.accounts.single_sign_on): an OpenID Connect provider; off unless all three are set.
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = field(default=None, repr=False)
    oidc_label: str = "SSO instansi"  # the button's words: "Masuk dengan …"
    oidc_nip_claim: str = "nip"  # the ID token claim holding the NIP, which links an account before the email does

    @property
    def debug(self) -> bool:
        return self.environment == "development"

    @property
    def secure_cookies(self) -> bool:
        return self.environment == "production"

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    environment = env.get("SINERGI_ENV", "development").strip().lower()
    if environment not in {"development", "test", "production"}:
        raise SettingsError("SINERGI_ENV must be development, test or production")

    secret_key = env.get("SECRET_KEY", "")
    if not secret_key:
        if environment != "development":
            raise SettingsError(
                f"SECRET_KEY is not set. Set a long random SECRET_KEY (for example from "
                f"`python -c 'import secrets; print(secrets.token_urlsafe(48))'`) before starting in {environment}."
            )
        secret_key = _DEV_SECRET
    elif len(secret_key) < 32 and environment == "production":
        raise SettingsError("SECRET_KEY must be at least 32 characters long in production.")

    recount = _int(env, "DASHBOARD_RECOUNT_SECONDS", 0 if environment == "test" else 5)
    if recount <= 0 and environment != "test":
        raise SettingsError("DASHBOARD_RECOUNT_SECONDS must be at least 1: the dashboard is only recounted in the background.")

    data_dir = Path(env.get("SINERGI_DATA_DIR", str(PROJECT_ROOT / ".data")))
    sqlite_path = Path(env.get("SQLITE_PATH", str(data_dir / "sinergi.sqlite3")))
    return Settings(
        environment=environment,
        secret_key=secret_key,
        database_url=env.get("DATABASE_URL") or None,
        sqlite_path=sqlite_path,
        data_dir=data_dir,
        redis_url=env.get("REDIS_URL") or None,
        meili_url=env.get("MEILI_URL") or None,
        meili_key=env.get("MEILI_MASTER_KEY") or None,
        meili_index=env.get("MEILI_INDEX", "threads"),
        meili_bin=env.get("MEILISEARCH_BIN") or None,
        # Links in mail and feeds; by default the address `make run` serves on, whatever PORT it was given.
        base_url=(env.get("BASE_URL") or f"http://127.0.0.1:{_int(env, 'PORT', 8000)}").rstrip("/"),
        fast_password_hashing=_bool(env.get("SINERGI_FAST_HASHING"), environment == "test"),
        login_max_per_ip=_int(env, "LOGIN_MAX_PER_IP", 20),
        login_max_per_account=_int(env, "LOGIN_MAX_PER_ACCOUNT", 5),
        login_window_seconds=_int(env, "LOGIN_WINDOW_SECONDS", 900),
        max_body_chars=_int(env, "MAX_BODY_CHARS", 50_000),
        post_min_interval_seconds=_int(env, "POST_MIN_INTERVAL_SECONDS", 15),
        new_member_daily_posts=_int(env, "NEW_MEMBER_DAILY_POSTS", 20),
        review_first_posts=_int(env, "REVIEW_FIRST_POSTS", 2),
        register_max_per_ip=_int(env, "REGISTER_MAX_PER_IP", 10),
        flags_to_hide=_int(env, "FLAGS_TO_HIDE", 3),
        log_level=env.get("LOG_LEVEL", "INFO").upper(),
        port=_int(env, "PORT", 8000),
        page_cache_seconds=_int(env, "PAGE_CACHE_SECONDS", 0 if environment == "test" else 2),
        dashboard_recount_seconds=recount,
        housekeeping_seconds=_int(env, "HOUSEKEEPING_SECONDS", 0 if environment == "test" else 3600),
        notification_keep_days=_int(env, "NOTIFICATION_KEEP_DAYS", 365),
        search_miss_keep_days=_int(env, "SEARCH_MISS_KEEP_DAYS", 180),
        sent_mail_keep_days=_int(env, "SENT_MAIL_KEEP_DAYS", 30),
        smtp_host=env.get("SMTP_HOST") or None,
        smtp_port=_int(env, "SMTP_PORT", 587),
        smtp_username=env.get("SMTP_USERNAME") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_from=env.get("SMTP_FROM", "Sinergi <noreply@localhost>"),
        smtp_security=env.get("SMTP_SECURITY", "starttls"),
        mail_seconds=_int(env, "MAIL_SECONDS", 0 if environment == "test" else 5),
        official_email_domains=_domains(env.get("OFFICIAL_EMAIL_DOMAINS", "go.id")),
        forwarded_allow_ips=_networks(env, "FORWARDED_ALLOW_IPS"),
        oidc_issuer=(env.get("OIDC_ISSUER") or "").rstrip("/") or None,
        oidc_client_id=env.get("OIDC_CLIENT_ID") or None,
        oidc_client_secret=env.get("OIDC_CLIENT_SECRET") or None,
        oidc_label=env.get("OIDC_LABEL") or "SSO instansi",
        oidc_nip_claim=env.get("OIDC_NIP_CLAIM") or "nip",
    )


def _domains(raw: str) -> tuple[str, ...]:
    """``"go.id, kemenkeu.go.id"`` → ("go.id", "kemenkeu.go.id"); a leading "*." or "@" is dropped."""
    return tuple(part.strip().lower().removeprefix("*.").removeprefix("@") for part in raw.split(",") if part.strip())


def _networks(env: dict[str, str], name: str) -> tuple[IPNetwork, ...]:
    raw = env.get(name, "")
    if raw.strip() == "*":
        raise SettingsError(f"{name}=* would let any client choose its address; list the proxies' addresses.")
    try:
        return parse_networks(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be comma-separated IP addresses or networks, got {raw!r}") from exc


_current: Settings | None = None


def get_settings() -> Settings:
    """The settings every part of the process reads: loaded from the environment once, or those an app was
    created with (``use_settings``)."""
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def use_settings(settings: Settings) -> Settings:
    """Make ``settings`` the ones every reader sees and return the ones they replace. ``create_app`` calls it, so
    an app built with other settings (a test's, say) is read the same way by pages, services and workers."""
    global _current
    previous = get_settings()
    _current = settings
    return previous
