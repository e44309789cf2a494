from datetime import datetime, timezone


def now() -> datetime:
    """The one source of "now" for stored timestamps: timezone-aware UTC."""
    return datetime.now(timezone.utc)
