"""The ``sinergi`` command: database, demo data, accounts and tokens (search commands live in search.cli)."""

from __future__ import annotations

import sys
from typing import Any

import anyio
import click

from forum import listeners
from forum.core.db import run_with_engine


def fail(message: str) -> None:
    click.echo(f"Galat: {message}", err=True)
    sys.exit(1)


@click.group()
def main() -> None:
    """Sinergi: forum kolaborasi inovasi pelayanan publik."""
    listeners.connect()


@main.command()
def migrate() -> None:
    """Apply database migrations (idempotent)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = anyio.run(lambda: run_forwards(app_name="forum", migration_id="all"))
    if not result.success:
        fail(result.message or "migrasi gagal")
    click.echo("Migrasi selesai.")


@main.command("seed-demo")
def seed_demo() -> None:
    """Load the demo agencies, users, threads and replies (idempotent)."""
    from forum.demo.seed import DEMO_PASSWORD, load_demo_file
    from forum.demo.seed import seed_demo as seed

    total = len(load_demo_file()["threads"])
    with click.progressbar(length=total, label="Memuat data demo") as bar:
        created = run_with_engine(lambda: seed(progress=bar.update))
    click.echo(f"Data demo: {created['threads']} topik dan {created['replies']} balasan baru dibuat.")
    click.echo(f"Semua akun demo memakai kata sandi: {DEMO_PASSWORD}")


@main.command("create-user")
@click.option("--email", required=True)
@click.option("--password", required=True, help="Minimal 10 karakter.")
@click.option("--role", type=click.Choice(["member", "moderator", "admin"]), default="member", show_default=True)
@click.option("--agency", "agency_name", required=True, help="Nama instansi; dibuat bila belum ada.")
@click.option("--agency-kind", default="lainnya", show_default=True)
@click.option("--province", default="dki-jakarta", show_default=True)
@click.option("--name", "display_name", default=None, help="Nama tampilan (bawaan: bagian awal email).")
def create_user(
    email: str, password: str, role: str, agency_name: str, agency_kind: str, province: str, display_name: str | None
) -> None:
    """Create an account (and its agency if it is new)."""
    from forum.accounts.service import AccountCreation, create_account
    from forum.agencies.service import find_agency_by_name
    from forum.core.errors import DomainError

    async def job() -> Any:
        agency = await find_agency_by_name(agency_name)
        return await create_account(
            AccountCreation(
                email=email,
                password=password,
                role=role,
                display_name=display_name or email.split("@")[0],
                agency_id=agency["id"] if agency else None,
                agency_name=agency_name,
                agency_kind=agency_kind,
                agency_province=province,
            )
        )

    try:
        user = run_with_engine(job)
    except DomainError as exc:
        fail("; ".join(exc.errors.values()) or exc.detail)
    click.echo(f"Pengguna #{user.id} {user.email} ({user.role}) di {user.agency_name} dibuat.")


@main.command("create-token")
@click.option("--email", required=True)
@click.option("--name", default="cli", show_default=True, help="Label token.")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 365), help="Masa berlaku (hari).")
def create_token(email: str, name: str, days: int) -> None:
    """Print a new API token for the user, with every scope their role allows (shown once; only its hash is stored)."""
    from forum.accounts.api_tokens import create_api_token
    from forum.core.errors import DomainError

    try:
        token = run_with_engine(lambda: create_api_token(email, name, days))
    except DomainError as exc:
        fail(exc.detail)
    click.echo(token)


@main.command("set-role")
@click.option("--email", required=True, help="Pengguna yang perannya diubah.")
@click.option("--role", type=click.Choice(["member", "moderator", "admin"]), required=True)
@click.option("--by", "by_email", required=True, help="Email admin yang bertanggung jawab (tercatat di log moderasi).")
def set_role(email: str, role: str, by_email: str) -> None:
    """Change a user's global role, as the admin given by --by (the same rule and log row as the web page)."""
    from forum.accounts import roles
    from forum.accounts.service import load_current_user, user_id_by_email
    from forum.core.errors import DomainError

    async def change() -> None:
        actor = await load_current_user(await user_id_by_email(by_email), operator=True)
        if actor is None:
            raise DomainError(f"Akun {by_email} tidak aktif.")
        await roles.set_role(actor, await user_id_by_email(email), role)

    try:
        run_with_engine(change)
    except DomainError as exc:
        fail(exc.detail)
    click.echo(f"Peran {email} sekarang {role}.")


@main.command("remind-commitments")
def remind_commitments() -> None:
    """Remind owners of commitments due soon or overdue (run daily from cron; each reminder is sent once)."""
    from forum.commitments.service import send_reminders

    sent = run_with_engine(send_reminders)
    click.echo(f"Pengingat terkirim: {sent['before']} menjelang tenggat, {sent['after']} lewat tenggat.")


@main.command("rebuild-dashboard")
def rebuild_dashboard() -> None:
    """Recount the dashboard's daily roll-up from the database (after bulk imports or manual SQL)."""
    from forum.dashboard import tally

    run_with_engine(tally.rebuild)
    click.echo("Rekap dasbor dihitung ulang.")


@main.command("send-mail")
def send_mail() -> None:
    """Send queued mail now (the app's mail worker does it every MAIL_SECONDS; this is for cron or a check)."""
    from forum.core.mail import send_queued_mail

    sent = run_with_engine(send_queued_mail)
    click.echo(f"Surat terkirim: {sent}.")


def _register_search_commands() -> None:
    from search.cli import register

    register(main)  # search-sync [--once] and reindex live with the rest of search/


_register_search_commands()


def _register_notification_commands() -> None:
    from forum.notifications.cli import register

    register(main)  # send-notifications


_register_notification_commands()

if __name__ == "__main__":
    main()
