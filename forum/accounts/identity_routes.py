"""Pages for one's own identity: the account page and its sessions, confirming an address, a forgotten
password, changing the password."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Response, Template

from forum.accounts import tokens
from forum.accounts.api_tokens import (
    DEFAULT_DAYS,
    MAX_DAYS,
    SCOPE_LABELS,
    TokenRequest,
    issue_token,
    list_tokens,
    revoke_token,
    scopes_open_to,
)
from forum.accounts.confirmation import INVALID_LINK as INVALID_CONFIRMATION
from forum.accounts.confirmation import confirm_email, resend_confirmation
from forum.accounts.data_export import export_person
from forum.accounts.erasure import CONFIRM_WORD, FORMER_MEMBER, erase_account
from forum.accounts.passwords import MIN_PASSWORD_LENGTH
from forum.accounts.profile import EmailChange, ProfileChange, profile_fields, request_email_change, update_profile
from forum.accounts.recovery import INVALID_LINK as INVALID_RESET
from forum.accounts.recovery import change_password, request_password_reset, reset_password
from forum.accounts.sessions import end_all_sessions, end_own_session, list_sessions, session_owner
from forum.core.clock import now
from forum.core.errors import Conflict, InvalidInput
from forum.core.ratelimit import take_hit
from forum.web.forms import client_ip, page, read_form, redirect
from forum.web.security import SESSION_KEY, requires_login, requires_signed_in


async def _tokens_page(request: Request[Any, Any, Any], *, errors: dict[str, str], form: dict[str, Any],
                       new_token: str | None = None, status_code: int = 200) -> Template:  # fmt: skip
    return page("accounts/tokens.html", status_code=status_code, tokens=await list_tokens(request.user), errors=errors,
                form=form, new_token=new_token, scopes={s: SCOPE_LABELS[s] for s in scopes_open_to(request.user)},
                default_days=DEFAULT_DAYS, max_days=MAX_DAYS)  # fmt: skip


_TOO_MANY_EXPORTS = "Data sudah diunduh beberapa kali. Coba lagi dalam {minutes} menit."


class IdentityPages(Controller):
    include_in_schema = False

    # A link opens a page with a button: mail scanners that fetch every link must not use it up.
    @get("/konfirmasi/{token:str}", name="confirm_email")
    async def confirm_form(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        found = await tokens.token_in_force(token, tokens.CONFIRM_EMAIL)
        if found is None:
            return page("accounts/confirm.html", status_code=410, errors={"token": INVALID_CONFIRMATION},
                        signed_in=request.user is not None)  # fmt: skip
        return page("accounts/confirm.html", errors={}, email=found["email"], action=f"/konfirmasi/{token}")

    @post("/konfirmasi/{token:str}")
    async def confirm(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
        try:
            await confirm_email(token)
        except (InvalidInput, Conflict) as exc:
            errors = exc.errors if isinstance(exc, InvalidInput) else {"email": exc.detail}
            return page("accounts/confirm.html", status_code=410 if "token" in errors else 409, errors=errors,
                        signed_in=request.user is not None)  # fmt: skip
        return page("accounts/confirm.html", errors={}, confirmed=True)

    @post("/konfirmasi/kirim-ulang", guards=[requires_signed_in])
    async def resend(self, request: Request[Any, Any, Any]) -> Redirect:
        await resend_confirmation(request.user)
        return redirect("/?konfirmasi=terkirim")

    @get("/lupa-sandi", name="forgot_password")
    async def forgot_form(self) -> Template:
        return page("accounts/forgot.html", form={}, errors={}, sent=False)

    @post("/lupa-sandi")
    async def forgot(self, request: Request[Any, Any, Any]) -> Template:
        data = await read_form(request)
        await request_password_reset(data.get("email"), client_ip(request))
        return page("accounts/forgot.html", form={}, errors={}, sent=True)  # the same, known address or not

    @get("/atur-ulang-sandi/{token:str}", name="reset_password")
    async def reset_form(self, token: FromPath[str]) -> Template:
        valid = await tokens.token_in_force(token, tokens.RESET_PASSWORD) is not None
        return page("accounts/reset.html", status_code=200 if valid else 410, valid=valid,
                    errors={} if valid else {"token": INVALID_RESET}, action=f"/atur-ulang-sandi/{token}",
                    min_length=MIN_PASSWORD_LENGTH)  # fmt: skip

    @post("/atur-ulang-sandi/{token:str}")
    async def reset(self, request: Request[Any, Any, Any], token: FromPath[str]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await reset_password(token, data.get("password"))
        except InvalidInput as exc:
            valid = "token" not in exc.errors
            return page("accounts/reset.html", status_code=422 if valid else 410, valid=valid, errors=exc.errors,
                        action=f"/atur-ulang-sandi/{token}", min_length=MIN_PASSWORD_LENGTH)  # fmt: skip
        request.clear_session()
        return redirect("/masuk?sandi=baru")

    @get("/akun", guards=[requires_signed_in], name="account")
    async def account(self, request: Request[Any, Any, Any]) -> Template:
        return page("accounts/account.html", sessions=await list_sessions(request.user, request.session.get(SESSION_KEY)))

    @get("/akun/profil", guards=[requires_signed_in])
    async def profile_form(self, request: Request[Any, Any, Any]) -> Template:
        return page("accounts/settings.html", form=await profile_fields(request.user.id), errors={}, email_errors={},
                    saved=request.query_params.get("tersimpan") == "1")  # fmt: skip

    @post("/akun/profil", guards=[requires_login])  # a name and bio are public: a confirmed address first
    async def save_profile(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await update_profile(request.user, ProfileChange.pick(data))
        except InvalidInput as exc:
            return page("accounts/settings.html", status_code=422, form=data, errors=exc.errors, email_errors={},
                        saved=False)  # fmt: skip
        return redirect("/akun/profil?tersimpan=1")

    @post("/akun/email", guards=[requires_signed_in])
    async def change_email(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await request_email_change(request.user, EmailChange.pick(data))
        except InvalidInput as exc:
            return page("accounts/settings.html", status_code=422, form=await profile_fields(request.user.id),
                        errors={}, email_errors=exc.errors, email_form={"email": data.get("email", "")}, saved=False)  # fmt: skip
        return redirect("/akun/profil?email=terkirim")

    @get("/akun/token", guards=[requires_signed_in])
    async def tokens_page(self, request: Request[Any, Any, Any]) -> Template:
        return await _tokens_page(request, errors={}, form={})

    @post("/akun/token", guards=[requires_signed_in])
    async def new_token(self, request: Request[Any, Any, Any]) -> Template:
        data = await read_form(request)
        try:
            token = await issue_token(request.user, TokenRequest.pick(data))
        except InvalidInput as exc:
            return await _tokens_page(request, errors=exc.errors, form=data, status_code=422)
        return await _tokens_page(request, errors={}, form={}, new_token=token, status_code=201)

    @post("/akun/token/{token_id:int}/cabut", guards=[requires_signed_in])
    async def revoke(self, request: Request[Any, Any, Any], token_id: FromPath[int]) -> Redirect:
        await revoke_token(request.user, token_id)
        return redirect("/akun/token")

    @post("/akun/sesi/{session_id:int}/akhiri", guards=[requires_signed_in])
    async def end_session(self, request: Request[Any, Any, Any], session_id: FromPath[int]) -> Redirect:
        await end_own_session(request.user, session_id)
        if await session_owner(request.user.id, request.session.get(SESSION_KEY)) is None:  # it was this one
            request.clear_session()
            return redirect("/")
        return redirect("/akun#sesi")

    @post("/akun/sesi/akhiri-lainnya", guards=[requires_signed_in])
    async def end_other_sessions(self, request: Request[Any, Any, Any]) -> Redirect:
        await end_all_sessions(request.user.id, keep=request.session.get(SESSION_KEY))
        return redirect("/akun#sesi")

    @get("/akun/data.zip", guards=[requires_signed_in])
    async def my_data(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        await take_hit("data-export", str(request.user.id), 10, 3600, _TOO_MANY_EXPORTS)
        content = await export_person(request.user.id)
        name = f"sinergi-data-saya-{now():%Y%m%d}.zip"
        return Response(content=content, media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})  # fmt: skip

    @get("/akun/hapus", guards=[requires_signed_in])
    async def erase_form(self) -> Template:
        return page("accounts/erase.html", errors={}, confirm_word=CONFIRM_WORD, former=FORMER_MEMBER)

    @post("/akun/hapus", guards=[requires_signed_in])
    async def erase(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await erase_account(request.user, data.get("password"), data.get("confirm"))
        except InvalidInput as exc:
            return page("accounts/erase.html", status_code=422, errors=exc.errors, confirm_word=CONFIRM_WORD,
                        former=FORMER_MEMBER)  # fmt: skip
        request.clear_session()
        return redirect("/?akun=dihapus")

    @get("/akun/sandi", guards=[requires_signed_in])
    async def password_form(self, changed: Annotated[str | None, QueryParameter(name="diubah")] = None) -> Template:
        return page("accounts/password.html", errors={}, changed=bool(changed), min_length=MIN_PASSWORD_LENGTH)

    @post("/akun/sandi", guards=[requires_signed_in])
    async def change(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            await change_password(request.user, data.get("current_password"), data.get("password"),
                                  request.session.get(SESSION_KEY))  # fmt: skip
        except InvalidInput as exc:
            return page("accounts/password.html", status_code=422, errors=exc.errors, changed=False,
                        min_length=MIN_PASSWORD_LENGTH)  # fmt: skip
        return redirect("/akun/sandi?diubah=1")
