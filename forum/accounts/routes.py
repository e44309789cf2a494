"""Pages: register, log in, log out, profile."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from forum.accounts.avatar import avatar_version
from forum.accounts.mutasi import moves_to_decide
from forum.accounts.roles import members_to_verify
from forum.accounts.service import Registration, authenticate, get_profile, register_user
from forum.accounts.sessions import end_session
from forum.accounts.two_factor_routes import finish_sign_in
from forum.agencies.service import list_agencies
from forum.collaboration.appreciation import received_by_user
from forum.core.errors import InvalidInput
from forum.core.policy import can_grant_roles, can_suspend, can_verify_member
from forum.core.ratelimit import give_back
from forum.threads.service import ThreadFilters, list_threads
from forum.web.flood import take_registration_slot, within_registration_limits
from forum.web.forms import client_ip, page, read_form, redirect, safe_next
from forum.web.security import SESSION_KEY, requires_login


class AccountPages(Controller):
    include_in_schema = False

    @get("/daftar", name="register")
    async def register_form(self) -> Template:
        return page("accounts/register.html", form={}, errors={}, agencies=await list_agencies())

    @post("/daftar", guards=[within_registration_limits])
    async def register(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        slot = await take_registration_slot(request)
        try:
            user = await register_user(Registration.pick(data))
        except InvalidInput as exc:
            await give_back(slot)  # a refused form is not a registration
            data.pop("password", None)
            return page(
                "accounts/register.html", status_code=422, form=data, errors=exc.errors, agencies=await list_agencies()
            )
        return await finish_sign_in(request, user.id, "/")

    @get("/masuk", name="login")
    async def login_form(self, next: FromQuery[str] = "/", password: Annotated[str | None, QueryParameter(name="sandi")] = None) -> Template:
        return page("accounts/login.html", form={"next": safe_next(next)}, errors={}, new_password=password == "baru")

    @post("/masuk")
    async def login(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        data = await read_form(request)
        try:
            user = await authenticate(data.get("email"), data.get("password"), client_ip(request))
        except InvalidInput as exc:
            form = {"email": data.get("email", ""), "next": safe_next(data.get("next"))}
            return page("accounts/login.html", status_code=422, form=form, errors=exc.errors)
        return await finish_sign_in(request, user.id, data.get("next"))

    @post("/keluar")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        if "session" in request.scope:
            await end_session(request.session.get(SESSION_KEY))
        request.clear_session()
        return redirect("/?keluar=1")  # the home page says so: a click with no answer looks like a failure

    @get("/verifikasi-anggota", guards=[requires_login], name="members_to_verify")
    async def members_to_verify(self, request: Request[Any, Any, Any]) -> Template:
        return page("accounts/members_to_verify.html", members=await members_to_verify(request.user),
                    moves=await moves_to_decide(request.user))  # fmt: skip

    @get("/pengguna/{user_id:int}")
    async def profile(
        self, request: Request[Any, Any, Any], user_id: FromPath[int], cursor: FromQuery[str | None] = None
    ) -> Template:
        profile = await get_profile(user_id, include_suspended=can_suspend(request.user, user_id))
        threads = await list_threads(ThreadFilters(author_id=user_id), cursor)
        kept = profile["erased_at"] is None  # nothing to manage on an erased account
        can = {"verify": kept and can_verify_member(request.user, profile),
               "grant_roles": kept and can_grant_roles(request.user), "suspend": kept and can_suspend(request.user, user_id)}
        return page("accounts/profile.html", profile=profile, threads=threads, can=can,
                    avatar_version=await avatar_version(user_id) if kept else None,
                    appreciation_received=await received_by_user(user_id))  # fmt: skip
