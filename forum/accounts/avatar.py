"""A member's picture: uploaded from a phone, decoded off the event loop with a pixel limit (a "decompression
bomb" is refused before it is expanded), turned upright by its EXIF orientation, cropped square, shrunk and
re-encoded as WebP. Re-encoding keeps only pixels: EXIF (GPS position, the camera, the time) never reaches
the stored image. Without a picture, pages show the member's initials.
"""

from __future__ import annotations

import io
import warnings

import anyio
from PIL import Image, ImageOps, UnidentifiedImageError

from forum.core.clock import now
from forum.core.db import write_transaction
from forum.core.errors import InvalidInput, NotFound
from forum.core.identity import CurrentUser
from forum.core.ratelimit import take_hit
from forum.core.tables import Avatar

MAX_UPLOAD_BYTES = 8 * 1024 * 1024  # a phone camera's JPEG
MAX_PIXELS = 16_800_000  # decoded size refused beyond this (4096 x 4096): a phone photo fits, a crafted one not
DECODERS = anyio.CapacityLimiter(2)  # at most two decodes at once in the process: each may take ~100 MB
UPLOADS_PER_HOUR = 10
_TOO_MANY = "Foto sudah diganti beberapa kali. Coba lagi dalam {minutes} menit."
SIDE = 256
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
_NOT_AN_IMAGE = "Berkas ini bukan gambar JPEG, PNG, WebP atau GIF yang dapat dibaca."


def _reencode(data: bytes) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise InvalidInput({"avatar": "Gambar terlalu besar ukurannya (piksel). Pakai foto yang lebih kecil."})
                image.seek(0)  # the first frame of an animation
                upright = ImageOps.exif_transpose(image).convert("RGB")
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError,
                Image.DecompressionBombWarning) as exc:  # fmt: skip
            raise InvalidInput({"avatar": _NOT_AN_IMAGE}) from exc
    square = ImageOps.fit(upright, (SIDE, SIDE), method=Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, format="WEBP", quality=85, method=4)  # no exif= argument: nothing of the original's metadata
    return out.getvalue()


async def set_avatar(user: CurrentUser, upload: bytes) -> None:
    """One's own picture from an uploaded file's bytes (nothing else of the form is read)."""
    if not upload:
        raise InvalidInput({"avatar": "Pilih berkas gambar."})
    if len(upload) > MAX_UPLOAD_BYTES:
        raise InvalidInput({"avatar": "Gambar lebih dari 8 MB. Pakai foto yang lebih kecil."})
    await take_hit("avatar-upload", str(user.id), UPLOADS_PER_HOUR, 3600, _TOO_MANY)
    with anyio.fail_after(10):
        image = await anyio.to_thread.run_sync(_reencode, upload, limiter=DECODERS)
    async with write_transaction():
        await Avatar.delete().where(Avatar.user == user.id)
        await Avatar.insert(Avatar(user=user.id, image=image, updated_at=now()))


async def remove_avatar(user: CurrentUser) -> None:
    await Avatar.delete().where(Avatar.user == user.id)


async def avatar_image(user_id: int) -> bytes:
    """The stored picture of an active account (a suspended one's is not shown, like its profile)."""
    row = await Avatar.select(Avatar.image).where((Avatar.user == user_id) & (Avatar.user.is_active == True)).first()  # noqa: E712
    if row is None:
        raise NotFound("Belum ada foto.")
    return bytes(row["image"])


async def avatar_version(user_id: int) -> str | None:
    """Part of the picture's address, so a new picture is a new address and the old one may be cached for long."""
    row = await Avatar.select(Avatar.updated_at).where(Avatar.user == user_id).first()
    return str(int(row["updated_at"].timestamp() * 1000)) if row else None


def initials(name: str) -> str:
    """"Ani Wulandari" → "AW": what shows where there is no picture."""
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"
