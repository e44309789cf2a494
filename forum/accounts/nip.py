"""The NIP (Nomor Induk Pegawai) of a civil servant: 18 digits, read as birth date (YYYYMMDD), the month of
appointment as CPNS (YYYYMM), sex (1 man, 2 woman) and a three-digit sequence (PP 11/2017 and BKN's
numbering). A typo usually breaks one of those parts, so each is checked."""

from __future__ import annotations

from datetime import date


def nip_problem(nip: str) -> str | None:
    """Why this NIP cannot be right, or None. ``nip`` has its spaces removed already."""
    if len(nip) != 18 or not nip.isdigit():
        return "NIP terdiri dari 18 digit angka."
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        return "Delapan digit pertama NIP adalah tanggal lahir (TTTTBBHH); periksa kembali."
    appointed_year, appointed_month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= appointed_month <= 12 or not born.year + 15 <= appointed_year <= date.today().year + 1:
        return "Digit 9–14 NIP adalah tahun dan bulan pengangkatan CPNS (TTTTBB); periksa kembali."
    if nip[14] not in "12":
        return "Digit ke-15 NIP adalah jenis kelamin (1 atau 2); periksa kembali."
    return None
