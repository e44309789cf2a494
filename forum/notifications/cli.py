"""``sinergi send-notifications``: added to the forum's command group by ``register`` (as search.cli does)."""

from __future__ import annotations

import sys
from datetime import timedelta

import click


@click.command("send-notifications")
@click.option("--delay-minutes", default=10, show_default=True, type=click.IntRange(min=0),
              help="Kirim hanya notifikasi yang belum dibaca setelah sekian menit.")  # fmt: skip
@click.option("--no-digest", is_flag=True, help="Jangan kirim ringkasan mingguan pada putaran ini.")
@click.option("--prune-days", default=180, show_default=True, type=click.IntRange(min=0),
              help="Hapus notifikasi yang sudah dibaca dan lebih tua dari sekian hari (0: jangan hapus).")  # fmt: skip
def send_notifications(delay_minutes: int, no_digest: bool, prune_days: int) -> None:
    """E-mail unread notifications and due weekly digests (run from cron, e.g. every 10 minutes)."""
    from forum.core.db import run_with_engine
    from forum.notifications import email, service

    if not email.is_configured():
        click.echo("SMTP_HOST belum diatur; email notifikasi tidak dikirim.")
        return

    async def job() -> tuple[dict[str, int], int]:
        stats = await email.send_pending_emails(delay=timedelta(minutes=delay_minutes), digests=not no_digest)
        pruned = await service.prune_read(prune_days) if prune_days else 0
        return stats, pruned

    stats, pruned = run_with_engine(job)
    click.echo(
        f"{stats['sent']} email notifikasi terkirim ({stats['notices']} notifikasi), {stats['failed']} gagal; "
        f"{stats['digests']} ringkasan mingguan; {pruned} notifikasi lama dihapus."
    )
    if stats["failed"]:
        sys.exit(1)


def register(group: click.Group) -> None:
    group.add_command(send_notifications)
