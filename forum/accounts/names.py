"""Display names that would mislead: ones that imitate the site or its staff ("Admin Sinergi", "Moderator",
the name of an existing moderator). Checked at registration and whenever a name changes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

from forum.core.tables import User

# Words that make a name look like the site speaking or one of its staff, in Indonesian and English.
_STAFF_WORDS = frozenset({
    "admin", "administrator", "adm1n", "moderator", "moderasi", "mod", "sinergi", "sistem", "system", "staf",
    "staff", "official", "resmi", "pengelola", "operator", "superadmin", "root", "support", "helpdesk",
})  # fmt: skip


# Text-direction controls make "\u202enimdA" display as "Admin": a name has no use for them.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Latin letters that NFKD leaves alone but that read as plain ones.
_LATIN_LOOKALIKES = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ß": "ss"})
_DIGIT_LOOKALIKES = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "5": "s"})


@lru_cache(maxsize=2048)
def _latin(name: str) -> str:
    """Letters from other scripts that look Latin (Cyrillic "А", Greek "Ο") as the Latin ones they imitate, then
    accents dropped and lower case: "Аdmіn" → "admin"."""
    found = confusables.is_confusable(name, preferred_aliases=["latin"], greedy=True) or []
    for item in found:
        if item["character"].isascii():  # "1" and "l" are the digit lookalikes' business
            continue
        latin = next((h["c"] for h in item["homoglyphs"] if h["n"].startswith("LATIN")), None)
        if latin:
            name = name.replace(item["character"], latin)
    name = name.translate(_LATIN_LOOKALIKES)
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def _words(name: str) -> list[str]:
    """The words a reader sees: punctuation inside a word dropped ("Ad-min", "A.d.m.i.n" → "admin"), and a run of
    single letters read as one word ("A d m i n" → "admin")."""
    text = _latin(name).translate(_DIGIT_LOOKALIKES)
    words = [word for word in (re.sub(r"[^a-z]", "", part) for part in text.split()) if word]
    seen: list[str] = []
    letters = ""
    for word in words:
        if len(word) == 1:
            letters += word
            continue
        if letters:
            seen.append(letters)
            letters = ""
        seen.append(word)
    return [*seen, letters] if letters else seen


def _comparable(name: str) -> str:
    """For comparing two names: script look-alikes, case, accents, spacing and punctuation ignored, digits kept
    ("Budi 2" is not "Budi 3")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", _latin(name)).split())


def imitates_staff_word(name: str) -> bool:
    words = _words(name)
    return any(word in _STAFF_WORDS for word in words) or "sinergi" in "".join(words)


async def display_name_problem(name: str, user_id: int | None = None) -> str | None:
    """Why this display name is refused, or None. ``user_id``: the account it is for (its own name is fine)."""
    if _BIDI_CONTROLS.search(name):
        return "Nama tampilan tidak boleh memuat karakter pengatur arah teks."
    if imitates_staff_word(name):
        return "Nama tampilan tidak boleh meniru staf atau situs (misalnya 'Admin', 'Moderator', 'Sinergi')."
    staff = await User.select(User.id, User.display_name).where(
        User.role.is_in(["moderator", "admin"]) & (User.is_active == True)  # noqa: E712
    )
    wanted = f" {_comparable(name)} "
    if any(f" {_comparable(row['display_name'])} " in wanted and row["id"] != user_id for row in staff):
        return "Nama tampilan ini dipakai seorang moderator; pilih nama lain (misalnya dengan nama instansi)."
    return None
