"""Every write takes a typed input: no domain function receives a whole form or JSON object.

Two checks over the whole `forum` package, so a new write cannot slip past them:
- a public coroutine's parameter that carries what a client sent (``data``, ``changes``, ``form``…) is typed
  with an ``Input`` subclass, never ``dict``/``Mapping``/``Any``;
- the fields of every input are listed here: a privileged name (role, author, status, a counter, a timestamp)
  appears only where a reviewer allowed it, with the reason beside it.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import forum
from forum.core.inputs import Input

CLIENT_DATA_NAMES = {"data", "changes", "form", "payload", "params"}

PRIVILEGED = {
    "role", "author", "author_id", "agency", "status", "verified", "verified_at", "verified_by", "created_at",
    "updated_at", "edited_at", "version", "reply_count", "appreciation_count", "is_active", "is_admin",
    "is_moderator", "user", "user_id", "thread", "thread_id", "created_by", "hidden_reason", "is_pinned",
    "is_locked", "password_hash", "email_verified_at", "email_confirmed_at", "email", "slug", "id",
}  # fmt: skip

ALLOWED = {
    ("AccountCreation", "role"): "the operator's CLI creates staff accounts; public registration has no role",
    ("Registration", "email"): "a new account names its address; it writes nothing until a mailed link confirms it",
    ("AccountCreation", "email"): "the operator names the address of an account they create",
    ("EmailChange", "email"): "the new address is only stored once a link mailed to it is used",
}


def _modules() -> list[object]:
    return [importlib.import_module(info.name) for info in pkgutil.walk_packages(forum.__path__, "forum.")]


def _inputs() -> dict[str, type[Input]]:
    _modules()
    found: dict[str, type[Input]] = {}
    pending = list(Input.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        found[cls.__name__] = cls  # slots=True makes a second class of the same name: either will do
    return found


def _type_name(annotation: str) -> str:
    """``Unfeature | None`` → ``Unfeature``; ``dict[str, Any]`` → ``dict``."""
    return annotation.split(" | ")[0].split("[")[0].split(".")[-1]


def test_no_write_takes_a_whole_form_or_body() -> None:
    offenders = []
    for module in _modules():
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.iscoroutinefunction(function):
                continue
            if function.__module__ != module.__name__:
                continue
            for parameter in inspect.signature(function).parameters.values():
                if parameter.name not in CLIENT_DATA_NAMES:
                    continue
                annotation = str(parameter.annotation)
                if _type_name(annotation) not in _inputs():
                    offenders.append(f"{module.__name__}.{name}({parameter.name}: {annotation})")
    assert not offenders, f"writes that take raw client data instead of a typed input: {offenders}"


def test_the_structural_check_sees_a_raw_dict() -> None:
    """The check above would notice a write taking a dict: proven on a function made for it."""

    async def add_something(user: object, data: dict) -> None: ...

    assert _type_name(str(inspect.signature(add_something).parameters["data"].annotation)) == "dict"
    assert _type_name("Unfeature | None") == "Unfeature"


def test_inputs_carry_no_privileged_field_unless_allowed() -> None:
    inputs = _inputs()
    assert {"Registration", "AccountCreation", "ThreadInput", "ReplyInput", "IndicatorInput"} <= set(inputs)
    privileged = {
        (name, field.name)
        for name, cls in inputs.items()
        for field in dataclasses.fields(cls)
        if field.name in PRIVILEGED
    }
    assert privileged == set(ALLOWED)


def test_an_input_takes_only_its_own_fields() -> None:
    from forum.posting.service import ReplyInput
    from forum.threads.service import ThreadInput

    reply = ReplyInput.pick({"body": "Isi", "author": 1, "status": "published", "thread": 9})
    assert dataclasses.asdict(reply) == {"body": "Isi"}
    thread = ThreadInput.pick({"title": "Judul", "author_id": 1, "agency": 2, "reply_count": 99, "version": 7})
    assert {k: v for k, v in dataclasses.asdict(thread).items() if v is not None} == {"title": "Judul"}
