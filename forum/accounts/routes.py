"""Pages: register, log in, log out, profile."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from forum.accounts.service import Registration, authenticate, get_profile, register_user
from forum.accounts.sessions import end_session, start_session
from forum.agencies.service import list_agencies
from forum.collaboration.appreciation import received_by_user
from forum.core.errors import InvalidInput
from forum.core.policy import can_grant_roles, can_suspend, can_verify_member
from forum.core.ratelimit import give_back
from forum.threads.service import ThreadFilters, list_threads
from forum.web.flood import take_registration_slot, within_registration_limits
from forum.web.forms import client_ip, page, read_form, redirect, safe_next
from forum.web.security import SESSION_KEY, SESSION_USER_KEY
from forum.web.sessions import sign_in


async def _sign_in(request: Request[Any, Any, Any], user_id: int) -> None:
    key = await start_session(user_id, request.headers.get("user-agent", ""))
    sign_in(request, {SESSION_USER_KEY: user_id, SESSION_KEY: key})


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
        await _sign_in(request, user.id)
        return redirect("/")

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
        await _sign_in(request, user.id)
        return redirect(safe_next(data.get("next")))

    @post("/keluar")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        if "session" in request.scope:
            await end_session(request.session.get(SESSION_KEY))
        request.clear_session()
        return redirect("/")

    @get("/pengguna/{user_id:int}")
    async def profile(
        self, request: Request[Any, Any, Any], user_id: FromPath[int], cursor: FromQuery[str | None] = None
    ) -> Template:
        profile = await get_profile(user_id, include_suspended=can_suspend(request.user, user_id))
        threads = await list_threads(ThreadFilters(author_id=user_id), cursor)
        can = {"verify": can_verify_member(request.user, profile), "grant_roles": can_grant_roles(request.user),
               "suspend": can_suspend(request.user, user_id)}
        return page("accounts/profile.html", profile=profile, threads=threads, can=can,
                    appreciation_received=await received_by_user(user_id))  # fmt: skip
