"""Small helpers shared by page controllers."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from litestar import Request
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from forum.core.errors import InvalidInput

# Form fields that may repeat (checkbox groups); every other field is read as a single value.
MULTI_VALUE_FIELDS = frozenset({"values", "scopes"})


async def read_form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    form = await request.form()
    data: dict[str, Any] = {}
    for key in form.keys():
        if key == "_csrf_token":
            continue
        data[key] = form.getall(key) if key in MULTI_VALUE_FIELDS else form.get(key)
    return data


# Query parameters that may repeat (?nilai=a&nilai=b); any other one given twice is refused, not half-read.
MULTI_VALUE_PARAMS = frozenset({"nilai", "value"})


def query_params(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """Query parameters: the multi-valued ones as lists, every other one as its single value. A single-valued
    parameter sent twice (``?sector=a&sector=b``) answers 422: skipping validation for a list let it through."""
    params: dict[str, Any] = {}
    repeated: dict[str, str] = {}
    for key in request.query_params.keys():
        values = request.query_params.getall(key)
        if key in MULTI_VALUE_PARAMS:
            params[key] = values
        elif len(values) > 1:
            repeated[key] = "Parameter ini hanya boleh diberikan satu kali."
        else:
            params[key] = values[0]
    if repeated:
        raise InvalidInput(repeated)
    return params


def page(template: str, status_code: int = 200, **context: Any) -> Template:
    return Template(template_name=template, context=context, status_code=status_code)


def redirect(path: str) -> Redirect:
    # 303 so that a POST is followed by a GET (no resubmission on reload).
    return Redirect(path=path, status_code=303)


def client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def safe_next(target: object) -> str:
    """Only local paths are followed after login, never another site."""
    if isinstance(target, str) and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@runtime_checkable
class ThreadPageAgain(Protocol):
    """The thread page shown again because one of its forms (a reply, a commitment, an impact indicator) was
    refused: 422, with ``refused`` (the template's names: ``reply_form``, ``reply_errors``…) filled in. create_app
    provides it as the ``thread_page_again`` dependency, so a feature's routes never import the page that
    composes them (forum.thread_page)."""

    async def __call__(self, request: Request[Any, Any, Any], thread_id: int, **refused: Any) -> Template: ...


# How a page route asks for it: `thread_page_again: ThreadPageAgainDependency`.
ThreadPageAgainDependency = NamedDependency[ThreadPageAgain]
