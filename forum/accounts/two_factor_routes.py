"""Pages of two-step sign-in: the code after the password, and enrolling, renewing codes, turning it off."""

from __future__ import annotations

import time
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template

from forum.accounts import two_factor
from forum.accounts.sessions import start_session
from forum.core.errors import InvalidInput
from forum.web.forms import page, read_form, redirect, safe_next
from forum.web.security import SESSION_KEY, SESSION_USER_KEY, requires_signed_in
from forum.web.sessions import sign_in

SECOND_STEP_PATH = "/masuk/kode"
PENDING = "pending_sign_in"  # the session's note that a password was right and a code is awaited
PENDING_SECONDS = 300
ENROLLING = "totp_enrolling"  # the secret shown on the enrolment page, until its first code confirms it
MAILED = "totp_mailed_code"  # the hash of the code mailed for enrolment, and when
FRESH_CODES = "fresh_recovery_codes"  # new recovery codes, shown once by the page the browser is sent to


async def finish_sign_in(request: Request[Any, Any, Any], user_id: int, next_path: str) -> Redirect:
    """The password (or single sign-on) was right: sign in now, or ask for the code first when enrolled."""
    if await two_factor.requires_second_step(user_id):
        sign_in(request, {PENDING: {"uid": user_id, "at": time.time(), "next": safe_next(next_path)}})
        return redirect(SECOND_STEP_PATH)
    key = await start_session(user_id, request.headers.get("user-agent", ""))
    sign_in(request, {SESSION_USER_KEY: user_id, SESSION_KEY: key})
    return redirect(safe_next(next_path))


def _pending(request: Request[Any, Any, Any]) -> dict[str, Any] | None:
    note = request.session.get(PENDING) if "session" in request.scope else None
    if not isinstance(note, dict) or not isinstance(note.get("uid"), int):
        return None
    if time.time() - float(note.get("at", 0)) > PENDING_SECONDS:
        return None
    return note


async def _settings_page(request: Request[Any, Any, Any], *, errors: dict[str, str], status_code: int = 200) -> Template:
    """Enrolment (a new secret kept in the session until its first code) or, once on, the codes and the way off."""
    state = await two_factor.status(request.user.id)
    enrolment = None
    if not state["enabled"]:
        secret = request.session.get(ENROLLING)
        if not isinstance(secret, str) or len(secret) != 32:
            secret = two_factor.new_secret()
            request.set_session({**request.session, ENROLLING: secret})
        enrolment = two_factor.enrolment_view(secret, request.user.email)
    left = request.query_params.get("sisa", "")
    codes = request.session.get(FRESH_CODES)
    if codes:  # shown once: a reload no longer has them
        request.set_session({k: v for k, v in request.session.items() if k != FRESH_CODES})
    return page("accounts/two_factor.html", status_code=status_code, state=state, enrolment=enrolment, errors=errors,
                codes=codes if isinstance(codes, list) else None,
                recovery_left=int(left) if left.isdigit() and len(left) < 3 else None)  # fmt: skip


def _show_codes_once(request: Request[Any, Any, Any], codes: list[str]) -> Redirect:
    """After the codes are made, a redirect (the next page, with this request's powers no longer held, shows them);
    a reload does not enrol or renew again."""
    request.set_session({**{k: v for k, v in request.session.items() if k not in {ENROLLING, MAILED}},
                         FRESH_CODES: codes})  # fmt: skip
    return redirect("/akun/dua-langkah#kode-pemulihan")


_EXPIRED = "Waktu memasukkan kode sudah habis. Masuk lagi dengan email dan kata sandi Anda."


class TwoFactorPages(Controller):
    include_in_schema = False

    @get(SECOND_STEP_PATH, name="second_step")
    async def code_form(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if _pending(request) is None:
            return redirect("/masuk")
        return page("accounts/second_step.html", errors={})

    @post(SECOND_STEP_PATH)
    async def check_code(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        note = _pending(request)
        if note is None:
            return page("accounts/second_step.html", status_code=410, errors={"code": _EXPIRED}, expired=True)
        try:
            step = await two_factor.check_second_step(note["uid"], data.get("code"))
        except InvalidInput as exc:
            return page("accounts/second_step.html", status_code=422, errors=exc.errors)
        key = await start_session(note["uid"], request.headers.get("user-agent", ""))
        sign_in(request, {SESSION_USER_KEY: note["uid"], SESSION_KEY: key})
        if step.used_recovery_code:
            return redirect(f"/akun/dua-langkah?sisa={step.recovery_codes_left}")
        return redirect(note["next"])

    @get("/akun/dua-langkah", guards=[requires_signed_in], name="two_factor")
    async def settings(self, request: Request[Any, Any, Any]) -> Template:
        return await _settings_page(request, errors={})

    @post("/akun/dua-langkah", guards=[requires_signed_in])
    async def enrol(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            codes = await two_factor.enrol(request.user, request.session.get(ENROLLING), data.get("code"),
                                           data.get("mail_code"), request.session.get(MAILED))  # fmt: skip
        except InvalidInput as exc:
            return await _settings_page(request, errors=exc.errors, status_code=422)
        return _show_codes_once(request, codes)

    @post("/akun/dua-langkah/kode-email", guards=[requires_signed_in])
    async def mail_code(self, request: Request[Any, Any, Any]) -> Redirect:
        mailed = await two_factor.mail_enrolment_code(request.user)
        request.set_session({**request.session, MAILED: mailed})
        return redirect("/akun/dua-langkah?email=terkirim#aktifkan")

    @post("/akun/dua-langkah/kode-pemulihan", guards=[requires_signed_in])
    async def renew_codes(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            codes = await two_factor.renew_recovery_codes(request.user, data.get("password"), data.get("code"))
        except InvalidInput as exc:
            return await _settings_page(request, errors=exc.errors, status_code=422)
        return _show_codes_once(request, codes)

    @post("/akun/dua-langkah/matikan", guards=[requires_signed_in])
    async def turn_off(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await two_factor.turn_off(request.user, data.get("password"), data.get("code"))
        except InvalidInput as exc:
            return await _settings_page(request, errors=exc.errors, status_code=422)
        return redirect("/akun/dua-langkah")
