"""A member's picture: re-encoded (EXIF with a GPS position gone), cropped square, served; refused clearly when
it is not an image or too large; initials where there is none."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from forum.core.tables import Avatar
from tests.support.factories import csrf_from, login, make_user, prime_csrf

GPS_IFD = 0x8825


def _photo_with_location(width: int = 640, height: int = 480) -> bytes:
    image = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraUji"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show upright
    exif.get_ifd(GPS_IFD)[2] = (7.0, 46.0, 51.0)  # GPSLatitude, Yogyakarta
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


async def _upload(client: httpx.AsyncClient, content: bytes, name: str = "foto.jpg") -> httpx.Response:
    await prime_csrf(client)
    return await client.post("/akun/foto", files={"avatar": (name, content, "image/jpeg")},
                             data={"_csrf_token": csrf_from(client)})  # fmt: skip


async def test_a_photo_is_reencoded_without_its_metadata(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id", name="Ani Wulandari")
    await login(client, ani.email)
    assert "AW" in (await client.get(f"/pengguna/{ani.id}")).text  # initials before any picture
    original = _photo_with_location()
    assert b"KameraUji" in original
    answer = await _upload(client, original)
    assert answer.status_code == 303, answer.text[:300]
    row = await Avatar.select(Avatar.image).first()
    stored = bytes(row["image"])
    assert b"KameraUji" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "WEBP" and image.size == (256, 256)
        assert not image.getexif()
    profile = await client.get(f"/pengguna/{ani.id}")
    assert f"/pengguna/{ani.id}/foto?v=" in profile.text
    served = await client.get(f"/pengguna/{ani.id}/foto")
    assert served.status_code == 200 and served.headers["content-type"] == "image/webp" and served.content == stored


async def test_what_is_not_an_image_is_refused(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id")
    await login(client, ani.email)
    for content in (b"%PDF-1.7 bukan gambar", b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40):
        answer = await _upload(client, content)
        assert answer.status_code == 422 and "gambar" in answer.text, content[:10]
    assert await Avatar.count() == 0


async def test_a_decompression_bomb_is_refused_before_it_is_expanded(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id")
    await login(client, ani.email)
    bomb = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(bomb, format="PNG")  # 144 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 200_000
    answer = await _upload(client, bomb.getvalue(), "bom.png")
    assert answer.status_code == 422 and await Avatar.count() == 0


async def test_too_large_an_upload_is_refused(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id")
    await login(client, ani.email)
    answer = await _upload(client, b"\xff\xd8" + b"\x00" * (9 * 1024 * 1024))
    assert answer.status_code in {413, 422} and await Avatar.count() == 0


async def test_removing_the_picture_brings_back_the_initials(client: httpx.AsyncClient) -> None:
    ani = await make_user("ani@sleman.go.id", name="Ani Wulandari")
    await login(client, ani.email)
    assert (await _upload(client, _photo_with_location())).status_code == 303
    await client.post("/akun/foto/hapus", data={"_csrf_token": csrf_from(client)})
    assert await Avatar.count() == 0
    assert (await client.get(f"/pengguna/{ani.id}/foto")).status_code == 404
