from datetime import UTC, datetime


def now() -> datetime:
    """The one source of "now" for stored timestamps: timezone-aware UTC."""
    return datetime.now(UTC)
