"""Pages of one's picture: upload, remove; and serving a member's picture."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from forum.accounts.avatar import MAX_UPLOAD_BYTES, avatar_image, remove_avatar, set_avatar
from forum.accounts.profile import profile_fields
from forum.core.errors import InvalidInput
from forum.web.forms import page, redirect
from forum.web.security import requires_login, requires_signed_in


class AvatarPages(Controller):
    include_in_schema = False

    # A phone photo is bigger than the app's 2 MB limit for forms; this route alone takes up to 8 MB.
    @post("/akun/foto", guards=[requires_login], request_max_body_size=MAX_UPLOAD_BYTES + 64 * 1024)
    async def upload(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        upload = (await request.form()).get("avatar")
        data = await upload.read(MAX_UPLOAD_BYTES + 1) if isinstance(upload, UploadFile) else b""
        try:
            await set_avatar(request.user, data)
        except InvalidInput as exc:
            return page("accounts/settings.html", status_code=422, form=await profile_fields(request.user.id),
                        errors={}, email_errors={}, avatar_errors=exc.errors, saved=False)  # fmt: skip
        return redirect("/akun/profil?foto=1")

    @post("/akun/foto/hapus", guards=[requires_signed_in])
    async def remove(self, request: Request[Any, Any, Any]) -> Redirect:
        await remove_avatar(request.user)
        return redirect("/akun/profil")

    @get("/pengguna/{user_id:int}/foto", name="avatar")
    async def image(self, user_id: FromPath[int]) -> Response[bytes]:
        # The address carries the picture's version (?v=…): a new picture is a new address, so this one may be kept.
        return Response(content=await avatar_image(user_id), media_type="image/webp",
                        headers={"Cache-Control": "public, max-age=604800, immutable"})  # fmt: skip
