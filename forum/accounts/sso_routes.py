"""Pages of single sign-on: off to the provider, and back (forum.accounts.single_sign_on)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from forum.accounts import single_sign_on as sso
from forum.accounts.two_factor_routes import finish_sign_in
from forum.core.errors import InvalidInput
from forum.web.forms import page, safe_next

PENDING = "sso"  # the session's note of a sign-in sent to the provider: state, nonce, PKCE verifier, next


def _provider() -> sso.Provider:
    provider = sso.configured_provider()
    if provider is None:
        raise NotFoundException()  # single sign-on is not set up here
    return provider


def _refused(exc: InvalidInput, status_code: int) -> Template:
    return page("accounts/login.html", status_code=status_code, form={"next": "/"}, new_password=False,
                errors={"email": exc.errors.get("sso", sso.FAILED)})  # fmt: skip


class SingleSignOnPages(Controller):
    include_in_schema = False

    @get("/masuk/sso", name="sso_start")
    async def start(self, request: Request[Any, Any, Any], next: FromQuery[str] = "/") -> Template | Redirect:
        provider = _provider()
        try:
            url, pending = await sso.begin(provider, safe_next(next))
        except InvalidInput as exc:
            return _refused(exc, 503)
        request.set_session({PENDING: pending})
        return Redirect(path=url, status_code=303)

    @get("/masuk/sso/kembali", name="sso_return")
    async def back(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        provider = _provider()
        pending = request.session.get(PENDING) if "session" in request.scope else None
        try:
            claims = await sso.complete(provider, pending, sso.ProviderAnswer.pick(dict(request.query_params)))
            user_id = await sso.account_for(provider, claims)
        except InvalidInput as exc:
            request.clear_session()
            return _refused(exc, 400)
        return await finish_sign_in(request, user_id, pending["next"] if isinstance(pending, dict) else "/")
