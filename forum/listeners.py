"""Who listens to the change feed. Every entry point (the app, the CLI, the tests) connects them before the
first write; ``forum.core.changes.publish`` refuses to run without them."""

from __future__ import annotations

from forum.core import changes, indexing
from forum.dashboard import listener as dashboard
from forum.notifications import listener as notifications


def connect() -> None:
    changes.listen(indexing.on_change)  # the search outbox
    changes.listen(dashboard.on_change)  # the days to recount
    changes.listen(notifications.on_change)
