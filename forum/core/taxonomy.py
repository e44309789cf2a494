"""Controlled vocabularies: BerAKHLAK core values, government affairs (sectors) and provinces.

They live in code, not in tables, because they change only by regulation: the values by
SE MenPANRB 20/2021, the sectors by UU 23/2014, the provinces by law. Slugs are the stable keys
stored in the database and used in URLs and the API; labels are what people read.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    slug: str
    label: str
    guidelines: tuple[str, ...] = ()
    group: str = ""


# The seven BerAKHLAK core values, each with its three behaviour guidelines (panduan perilaku).
VALUES: tuple[Term, ...] = (
    Term(
        "berorientasi-pelayanan",
        "Berorientasi Pelayanan",
        (
            "Memahami dan memenuhi kebutuhan masyarakat",
            "Ramah, cekatan, solutif, dan dapat diandalkan",
            "Melakukan perbaikan tiada henti",
        ),
    ),
    Term(
        "akuntabel",
        "Akuntabel",
        (
            "Melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas tinggi",
            "Menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien",
            "Tidak menyalahgunakan kewenangan jabatan",
        ),
    ),
    Term(
        "kompeten",
        "Kompeten",
        (
            "Meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah",
            "Membantu orang lain belajar",
            "Melaksanakan tugas dengan kualitas terbaik",
        ),
    ),
    Term(
        "harmonis",
        "Harmonis",
        (
            "Menghargai setiap orang apa pun latar belakangnya",
            "Suka menolong orang lain",
            "Membangun lingkungan kerja yang kondusif",
        ),
    ),
    Term(
        "loyal",
        "Loyal",
        (
            "Memegang teguh ideologi Pancasila, Undang-Undang Dasar Negara Republik Indonesia Tahun 1945, "
            "setia kepada NKRI serta pemerintahan yang sah",
            "Menjaga nama baik sesama ASN, pimpinan, instansi, dan negara",
            "Menjaga rahasia jabatan dan negara",
        ),
    ),
    Term(
        "adaptif",
        "Adaptif",
        (
            "Cepat menyesuaikan diri menghadapi perubahan",
            "Terus berinovasi dan mengembangkan kreativitas",
            "Bertindak proaktif",
        ),
    ),
    Term(
        "kolaboratif",
        "Kolaboratif",
        (
            "Memberi kesempatan kepada berbagai pihak untuk berkontribusi",
            "Terbuka dalam bekerja sama untuk menghasilkan nilai tambah",
            "Menggerakkan pemanfaatan berbagai sumber daya untuk tujuan bersama",
        ),
    ),
)

_WAJIB_DASAR = "Urusan wajib pelayanan dasar"
_WAJIB_NON_DASAR = "Urusan wajib non-pelayanan dasar"
_PILIHAN = "Urusan pilihan"
_INTERNAL = "Tata kelola internal"

# The 32 concurrent government affairs of UU 23/2014 (Pasal 12), plus one sector for
# internal-management innovations (bureaucratic reform, HR, planning, budgeting).
SECTORS: tuple[Term, ...] = (
    Term("pendidikan", "Pendidikan", group=_WAJIB_DASAR),
    Term("kesehatan", "Kesehatan", group=_WAJIB_DASAR),
    Term("pekerjaan-umum-penataan-ruang", "Pekerjaan Umum dan Penataan Ruang", group=_WAJIB_DASAR),
    Term("perumahan-kawasan-permukiman", "Perumahan Rakyat dan Kawasan Permukiman", group=_WAJIB_DASAR),
    Term(
        "ketenteraman-ketertiban-linmas",
        "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
        group=_WAJIB_DASAR,
    ),
    Term("sosial", "Sosial", group=_WAJIB_DASAR),
    Term("tenaga-kerja", "Tenaga Kerja", group=_WAJIB_NON_DASAR),
    Term(
        "pemberdayaan-perempuan-pelindungan-anak",
        "Pemberdayaan Perempuan dan Pelindungan Anak",
        group=_WAJIB_NON_DASAR,
    ),
    Term("pangan", "Pangan", group=_WAJIB_NON_DASAR),
    Term("pertanahan", "Pertanahan", group=_WAJIB_NON_DASAR),
    Term("lingkungan-hidup", "Lingkungan Hidup", group=_WAJIB_NON_DASAR),
    Term(
        "administrasi-kependudukan-pencatatan-sipil",
        "Administrasi Kependudukan dan Pencatatan Sipil",
        group=_WAJIB_NON_DASAR,
    ),
    Term("pemberdayaan-masyarakat-desa", "Pemberdayaan Masyarakat dan Desa", group=_WAJIB_NON_DASAR),
    Term(
        "pengendalian-penduduk-keluarga-berencana",
        "Pengendalian Penduduk dan Keluarga Berencana",
        group=_WAJIB_NON_DASAR,
    ),
    Term("perhubungan", "Perhubungan", group=_WAJIB_NON_DASAR),
    Term("komunikasi-informatika", "Komunikasi dan Informatika", group=_WAJIB_NON_DASAR),
    Term("koperasi-ukm", "Koperasi, Usaha Kecil, dan Menengah", group=_WAJIB_NON_DASAR),
    Term("penanaman-modal", "Penanaman Modal", group=_WAJIB_NON_DASAR),
    Term("kepemudaan-olahraga", "Kepemudaan dan Olahraga", group=_WAJIB_NON_DASAR),
    Term("statistik", "Statistik", group=_WAJIB_NON_DASAR),
    Term("persandian", "Persandian", group=_WAJIB_NON_DASAR),
    Term("kebudayaan", "Kebudayaan", group=_WAJIB_NON_DASAR),
    Term("perpustakaan", "Perpustakaan", group=_WAJIB_NON_DASAR),
    Term("kearsipan", "Kearsipan", group=_WAJIB_NON_DASAR),
    Term("kelautan-perikanan", "Kelautan dan Perikanan", group=_PILIHAN),
    Term("pariwisata", "Pariwisata", group=_PILIHAN),
    Term("pertanian", "Pertanian", group=_PILIHAN),
    Term("kehutanan", "Kehutanan", group=_PILIHAN),
    Term("energi-sumber-daya-mineral", "Energi dan Sumber Daya Mineral", group=_PILIHAN),
    Term("perdagangan", "Perdagangan", group=_PILIHAN),
    Term("perindustrian", "Perindustrian", group=_PILIHAN),
    Term("transmigrasi", "Transmigrasi", group=_PILIHAN),
    Term("tata-kelola-reformasi-birokrasi", "Tata Kelola dan Reformasi Birokrasi", group=_INTERNAL),
)

PROVINCES: tuple[Term, ...] = tuple(
    Term(slug, label)
    for slug, label in (
        ("aceh", "Aceh"),
        ("sumatera-utara", "Sumatera Utara"),
        ("sumatera-barat", "Sumatera Barat"),
        ("riau", "Riau"),
        ("kepulauan-riau", "Kepulauan Riau"),
        ("jambi", "Jambi"),
        ("bengkulu", "Bengkulu"),
        ("sumatera-selatan", "Sumatera Selatan"),
        ("kepulauan-bangka-belitung", "Kepulauan Bangka Belitung"),
        ("lampung", "Lampung"),
        ("dki-jakarta", "DKI Jakarta"),
        ("jawa-barat", "Jawa Barat"),
        ("banten", "Banten"),
        ("jawa-tengah", "Jawa Tengah"),
        ("di-yogyakarta", "DI Yogyakarta"),
        ("jawa-timur", "Jawa Timur"),
        ("bali", "Bali"),
        ("nusa-tenggara-barat", "Nusa Tenggara Barat"),
        ("nusa-tenggara-timur", "Nusa Tenggara Timur"),
        ("kalimantan-barat", "Kalimantan Barat"),
        ("kalimantan-tengah", "Kalimantan Tengah"),
        ("kalimantan-selatan", "Kalimantan Selatan"),
        ("kalimantan-timur", "Kalimantan Timur"),
        ("kalimantan-utara", "Kalimantan Utara"),
        ("sulawesi-utara", "Sulawesi Utara"),
        ("gorontalo", "Gorontalo"),
        ("sulawesi-tengah", "Sulawesi Tengah"),
        ("sulawesi-barat", "Sulawesi Barat"),
        ("sulawesi-selatan", "Sulawesi Selatan"),
        ("sulawesi-tenggara", "Sulawesi Tenggara"),
        ("maluku", "Maluku"),
        ("maluku-utara", "Maluku Utara"),
        ("papua", "Papua"),
        ("papua-barat", "Papua Barat"),
        ("papua-barat-daya", "Papua Barat Daya"),
        ("papua-selatan", "Papua Selatan"),
        ("papua-tengah", "Papua Tengah"),
        ("papua-pegunungan", "Papua Pegunungan"),
    )
)

# Thread kinds, innovation stages and agency kinds: small closed lists with Indonesian labels.
THREAD_KINDS: tuple[Term, ...] = (
    Term("inovasi", "Inovasi"),
    Term("permasalahan", "Permasalahan"),
    Term("diskusi", "Diskusi"),
)
STAGES: tuple[Term, ...] = (
    Term("inisiatif", "Inisiatif"),
    Term("uji-coba", "Uji coba"),
    Term("penerapan", "Penerapan"),
)
AGENCY_KINDS: tuple[Term, ...] = (
    Term("kementerian", "Kementerian"),
    Term("lembaga", "Lembaga"),
    Term("pemprov", "Pemerintah Provinsi"),
    Term("pemkab", "Pemerintah Kabupaten"),
    Term("pemkot", "Pemerintah Kota"),
    Term("lainnya", "Lainnya"),
)
ROLES: tuple[Term, ...] = (
    Term("member", "Anggota"),
    Term("moderator", "Moderator"),
    Term("admin", "Admin"),
)


# Stored states: English codes in the database and the API, Indonesian labels on the pages.
COMMITMENT_OPEN, COMMITMENT_DONE, COMMITMENT_CANCELLED = "open", "done", "cancelled"
COMMITMENT_STATUS_LABELS = {COMMITMENT_OPEN: "Terbuka", COMMITMENT_DONE: "Selesai", COMMITMENT_CANCELLED: "Dibatalkan"}
# A replication: interest → agreed (the source agency agrees) → implemented → reported (its outcome), or
# cancelled from any state before reported.
REPLICATION_INTEREST, REPLICATION_AGREED, REPLICATION_IMPLEMENTED = "interest", "agreed", "implemented"
REPLICATION_REPORTED, REPLICATION_CANCELLED = "reported", "cancelled"
REPLICATION_STATE_LABELS = {
    REPLICATION_INTEREST: "Minat",
    REPLICATION_AGREED: "Disepakati",
    REPLICATION_IMPLEMENTED: "Diterapkan",
    REPLICATION_REPORTED: "Hasil dilaporkan",
    REPLICATION_CANCELLED: "Dibatalkan",
}
REPLICATION_DONE = (REPLICATION_IMPLEMENTED, REPLICATION_REPORTED)  # the dashboard's "replications done"


def _index(terms: tuple[Term, ...]) -> dict[str, Term]:
    return {term.slug: term for term in terms}


VALUE_BY_SLUG = _index(VALUES)
SECTOR_BY_SLUG = _index(SECTORS)
PROVINCE_BY_SLUG = _index(PROVINCES)
KIND_BY_SLUG = _index(THREAD_KINDS)
STAGE_BY_SLUG = _index(STAGES)
AGENCY_KIND_BY_SLUG = _index(AGENCY_KINDS)
ROLE_BY_SLUG = _index(ROLES)


def label(terms: dict[str, Term], slug: str | None) -> str:
    """The Indonesian label for a slug, or the slug itself if it is unknown (never raises in a template)."""
    if slug is None:
        return ""
    term = terms.get(slug)
    return term.label if term else slug


def as_json() -> dict[str, list[dict[str, object]]]:
    """The taxonomies as served by GET /api/taxonomies."""

    def dump(terms: tuple[Term, ...]) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for term in terms:
            item: dict[str, object] = {"slug": term.slug, "label": term.label}
            if term.guidelines:
                item["guidelines"] = list(term.guidelines)
            if term.group:
                item["group"] = term.group
            out.append(item)
        return out

    return {
        "values": dump(VALUES),
        "sectors": dump(SECTORS),
        "provinces": dump(PROVINCES),
        "thread_kinds": dump(THREAD_KINDS),
        "stages": dump(STAGES),
        "agency_kinds": dump(AGENCY_KINDS),
    }
