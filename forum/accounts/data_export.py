""""Unduh data saya" (UU 27/2022 PDP: the right to see one's personal data): a ZIP of JSON, one file per table,
with every row that names the person: as its owner, author, giver, reporter, actor or in a ``*_by`` column;
and the mail sent to their address. Secrets (password, token and session hashes) are left out, and so is
every other person's account row. Built in a worker thread: a long-time member's rows are many."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

import anyio.to_thread
from piccolo.columns import ForeignKey
from piccolo.table import Table

from forum.core.tables import ALL_TABLES, OutgoingMail, User

# Integer columns that hold a user id without a foreign key (so that a user row never references itself).
USER_ID_COLUMNS = frozenset({"verified_by", "unfeatured_by", "resolved_by", "agreed_by", "created_by", "closed_by", "decided_by"})
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "key_hash", "code_hash", "totp_secret"})
NOT_EXPORTED = "(tidak diekspor: disimpan tersandi)"


def person_columns() -> dict[type[Table], list[str]]:
    """For each table, the columns whose value may be this person's user id."""
    found: dict[type[Table], list[str]] = {}
    for table in ALL_TABLES:
        if table is User:
            continue  # their own row is exported by id; others' rows (whom they verified) are others' data
        names = [
            column._meta.name
            for column in table._meta.columns
            if (isinstance(column, ForeignKey) and column._foreign_key_meta.resolved_references is User)
            or column._meta.name in USER_ID_COLUMNS
        ]
        if names:
            found[table] = names
    return found


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):  # the avatar image
        return "base64:" + base64.b64encode(value).decode("ascii")
    return value


def _rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: NOT_EXPORTED if key in SECRET_COLUMNS else _plain(value) for key, value in row.items()} for row in rows]


async def collect_person_data(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every row about the person, by table name (one query per table)."""
    account = await User.select().where(User.id == user_id)
    data = {"forum_user": _rows(account)}
    for table, columns in person_columns().items():
        condition = None
        for name in columns:
            clause = getattr(table, name) == user_id
            condition = clause if condition is None else condition | clause
        rows = await table.select().where(condition).order_by(table._meta.primary_key)
        if rows:
            data[table._meta.tablename] = _rows(rows)
    if account:
        mail = await OutgoingMail.select().where(OutgoingMail.to_address == account[0]["email"])
        if mail:
            data["outgoing_mail"] = _rows(mail)
    return data


README = """Data pribadi Anda di Sinergi

Setiap berkas JSON berisi baris dari satu tabel basis data yang menyebut Anda: akun Anda (forum_user), tulisan
(thread, post, revision), apresiasi, laporan, komitmen, replikasi, indikator, notifikasi, yang Anda ikuti,
sesi, token API, tautan email, dan surat yang dikirim ke alamat Anda. Kata sandi, token, dan kunci sesi
disimpan tersandi dan tidak diekspor.
"""


def _zip(data: dict[str, list[dict[str, Any]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("BACA-SAYA.txt", README)
        for name, rows in data.items():
            archive.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    return buffer.getvalue()


async def export_person(user_id: int) -> bytes:
    return await anyio.to_thread.run_sync(_zip, await collect_person_data(user_id))
