"""Synthetic forum content for benchmarks: agencies, users, threads, BerAKHLAK tags and replies, bulk-inserted.

    .venv/bin/python -m tests.benchmarks.synthetic --threads 100000 [--seed 7]

Fills the database the environment points at (``forum.core.settings.get_settings()``: SQLite by default,
PostgreSQL with DATABASE_URL), running the migrations first if the tables are missing. It adds to what is
there (ids continue after the highest existing ones); it never writes search outbox rows, so build the search
index afterwards with a reindex. Everyone's password is ``SYNTHETIC_PASSWORD``.

What it makes, for N threads: ~500 agencies (ministries, national agencies and their regional offices,
provincial and local dinas, a few public companies; provinces weighted by population), ~3,000 users (every
agency has at least one; roles mostly member; a few very active people), N threads (65% inovasi, 20%
permasalahan, 15% diskusi; sectors Zipf-distributed with every sector present; 1–3 BerAKHLAK values; the
author's agency decides the province; created over the last three years with growth towards now), and
about 2 replies per thread on average with a long tail, mostly from other agencies.

Text is Indonesian built from the phrase banks in ``synthetic_words.py``: plain paragraphs only, so the
stored HTML is built with a fast equivalent of ``forum.core.markup.render`` (``fast_html``) instead of running
markdown-it + bleach ~10 ms a body; the integration test checks the two agree exactly.

Rows go in with the engine's own bulk path, in batches inside transactions: ``executemany`` on SQLite
(through Piccolo's aiosqlite connection) and ``COPY`` on PostgreSQL (through an asyncpg connection from
Piccolo's engine), with explicit ids so threads, tags and replies link up without reading ids back.
Piccolo's ``Table.insert(*rows)`` measured ~9× slower here (10k threads on SQLite: 3.3 s against 0.35 s), most
of it building a model object per row. On PostgreSQL the next batch is generated while the last one is copied.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import html
import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from slugify import slugify

from forum.core import taxonomy
from tests.benchmarks import synthetic_words as W

SYNTHETIC_PASSWORD = "sinergi-sintetis-2026"
AGENCY_TARGET = 500
USER_TARGET = 3000
BATCH_THREADS = 2000
YEARS = 3

# Sector popularity, most common first (Zipf-like weights 1/rank): service-delivery sectors dominate,
# internal and niche affairs (statistics, archives, encryption) are rare but present.
SECTOR_RANKING: tuple[str, ...] = (
    "kesehatan",
    "administrasi-kependudukan-pencatatan-sipil",
    "pendidikan",
    "tata-kelola-reformasi-birokrasi",
    "sosial",
    "penanaman-modal",
    "komunikasi-informatika",
    "koperasi-ukm",
    "pemberdayaan-masyarakat-desa",
    "lingkungan-hidup",
    "pekerjaan-umum-penataan-ruang",
    "perhubungan",
    "pertanian",
    "pemberdayaan-perempuan-pelindungan-anak",
    "tenaga-kerja",
    "pengendalian-penduduk-keluarga-berencana",
    "ketenteraman-ketertiban-linmas",
    "perumahan-kawasan-permukiman",
    "pariwisata",
    "pangan",
    "kelautan-perikanan",
    "perdagangan",
    "pertanahan",
    "kebudayaan",
    "perpustakaan",
    "statistik",
    "kearsipan",
    "kepemudaan-olahraga",
    "perindustrian",
    "kehutanan",
    "energi-sumber-daya-mineral",
    "transmigrasi",
    "persandian",
)
SECTOR_WEIGHTS: dict[str, float] = {slug: 1.0 / rank for rank, slug in enumerate(SECTOR_RANKING, start=1)}
KIND_WEIGHTS: dict[str, float] = {"inovasi": 0.65, "permasalahan": 0.20, "diskusi": 0.15}
VALUE_WEIGHTS: dict[str, float] = {
    "berorientasi-pelayanan": 30,
    "kolaboratif": 22,
    "adaptif": 16,
    "akuntabel": 12,
    "kompeten": 10,
    "harmonis": 7,
    "loyal": 3,
}
VALUE_COUNT_WEIGHTS = {1: 0.35, 2: 0.42, 3: 0.23}
STAGE_WEIGHTS = {"inisiatif": 0.2, "uji-coba": 0.3, "penerapan": 0.5}
DIGITAL_SHARE = 0.62

# The columns written, in the order of every row tuple below (the test checks they exist in forum.core.tables). Any
# other column gets its database default, which Piccolo's migrations set from the column's default: threads and
# posts "published", nothing pinned, locked or featured.
COLUMNS: dict[str, tuple[str, ...]] = {
    "agency": ("id", "name", "slug", "kind", "province", "created_at"),
    "forum_user": (
        "id", "email", "display_name", "password_hash", "role", "agency", "nip", "is_active", "created_at",
        "is_agency_admin", "verified_at", "verified_by", "email_confirmed_at",
    ),
    "thread": (
        "id", "kind", "title", "slug", "body_source", "body_html", "author", "agency", "sector", "province",
        "created_at", "updated_at", "last_activity_at", "reply_count", "version",
        "problem_source", "problem_html", "solution_source", "solution_html", "results_source", "results_html",
        "stage", "start_year", "is_digital",
    ),
    "thread_value": ("id", "thread", "value"),
    "post": ("id", "thread", "author", "body_source", "body_html", "created_at", "edited_at", "version"),
}  # fmt: skip

Progress = Callable[[int, int], None]


# --- Markdown source and its HTML, without markdown-it and bleach ---------------------------------------------


def escape_text(text: str) -> str:
    """What markdown-it + bleach do to the characters of a plain paragraph: & < > and double quotes escaped."""
    return html.escape(text, quote=False).replace('"', "&quot;")


def fast_html(paragraphs: Sequence[str]) -> str:
    """``forum.core.markup.render("\\n\\n".join(paragraphs))`` for plain one-line paragraphs without Markdown syntax."""
    return "".join(["<p>" + escape_text(p) + "</p>\n" for p in paragraphs])


def source_and_html(paragraphs: Sequence[str]) -> tuple[str, str]:
    if not paragraphs:
        return "", ""
    return "\n\n".join(paragraphs), fast_html(paragraphs)


# --- small helpers -------------------------------------------------------------------------------------------


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(itertools.accumulate(weights))


def _number(value: float, decimals: bool) -> str:
    """Indonesian number formatting: 1.250 for thousands, 2,5 for decimals."""
    if decimals:
        return f"{value:.1f}".replace(".", ",")
    return f"{round(value):,}".replace(",", ".")


def _quantity(value: float, unit: str, decimals: bool) -> str:
    number = _number(value, decimals)
    return f"{number}%" if unit == "persen" else f"{number} {unit}"


@dataclass(slots=True)
class AgencyPlan:
    id: int
    name: str
    slug: str
    kind: str
    province: str
    sector: str
    short: str
    region: str  # "Kabupaten Sleman", "Kota Bandung", "Provinsi Bali", or "" for national bodies
    domain: str


@dataclass(slots=True)
class UserPlan:
    id: int
    agency: AgencyPlan
    display_name: str
    honorific: str
    weight: float


# --- agencies and users ----------------------------------------------------------------------------------------


class PeopleMaker:
    def __init__(self, rng: random.Random, taken_names: set[str], taken_slugs: set[str], taken_emails: set[str]):
        self.rng = rng
        self.taken_names = taken_names
        self.taken_slugs = taken_slugs
        self.taken_emails = taken_emails
        self.provinces = list(W.PROVINCE_POPULATION)
        self.province_cum = _cumulative([W.PROVINCE_POPULATION[p] for p in self.provinces])
        self.regional_cum = _cumulative([t[3] for t in W.REGIONAL_TYPES])
        self.provincial_types = W.REGIONAL_TYPES + W.PROVINCIAL_ONLY_TYPES
        self.provincial_cum = _cumulative([t[3] for t in self.provincial_types])

    def province(self) -> str:
        return self.rng.choices(self.provinces, cum_weights=self.province_cum)[0]

    def _domain(self, short: str, place: str) -> str:
        left = slugify(short, separator="")
        right = slugify(place, separator="")
        return f"{left}.{right}.go.id" if right else f"{left}.go.id"

    def _candidate(self) -> tuple[str, str, str, str, str, str, str] | None:
        """(name, kind, province, sector, short, region, domain) of one plausible agency."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.055:
            name, sector = rng.choice(W.MINISTRIES)
            short = "".join(word[0] for word in name.split() if word[0].isupper())
            return name, "kementerian", "dki-jakarta", sector, short, "", self._domain(short, "")
        if roll < 0.085:
            name, sector = rng.choice(W.NATIONAL_AGENCIES)
            short = "".join(word[0] for word in name.split() if word[0].isupper())
            return name, "lembaga", "dki-jakarta", sector, short, "", self._domain(short, "")
        province = self.province()
        province_label = taxonomy.PROVINCE_BY_SLUG[province].label
        kind_label, region_name = rng.choice(W.REGIONS[province])
        region = f"{kind_label} {region_name}"
        if roll < 0.14:
            office, sector, level = rng.choice(W.NATIONAL_OFFICES)
            if level == "region":
                name = f"{office} {region}"
            elif level == "province":
                name = f"{office} {province_label}"
            else:
                name = f"{office} {province_label}"
                region = f"Provinsi {province_label}"
            short = "".join(word[0] for word in office.split() if word[0].isupper())
            return name, "lembaga", province, sector, short, region, self._domain(short, region_name)
        if roll < 0.16:
            prefix, sector = rng.choice(W.OTHER_TYPES)
            name = f"{prefix} {region_name}"
            short = prefix.split()[0]
            return name, "lainnya", province, sector, short, region, self._domain(short, region_name)
        if roll < 0.30:
            full, short, sector, _ = rng.choices(self.provincial_types, cum_weights=self.provincial_cum)[0]
            region = f"Provinsi {province_label}"
            # People type agency names when they register: a fifth use the short form.
            name = f"{short if rng.random() < 0.2 else full} Provinsi {province_label}"
            return name, "pemprov", province, sector, short, region, self._domain(short, province_label)
        full, short, sector, _ = rng.choices(W.REGIONAL_TYPES, cum_weights=self.regional_cum)[0]
        kind = "pemkot" if kind_label == "Kota" else "pemkab"
        name = f"{short if rng.random() < 0.25 else full} {region}"
        suffix = "kota" if kind == "pemkot" else "kab"
        return name, kind, province, sector, short, region, self._domain(short, f"{region_name}{suffix}")

    def agencies(self, count: int, first_id: int) -> list[AgencyPlan]:
        out: list[AgencyPlan] = []
        attempts = 0
        while len(out) < count and attempts < count * 50:
            attempts += 1
            candidate = self._candidate()
            if candidate is None:
                continue
            name, kind, province, sector, short, region, domain = candidate
            slug = slugify(name, max_length=100, word_boundary=True) or "instansi"
            if name in self.taken_names or slug in self.taken_slugs:
                continue
            self.taken_names.add(name)
            self.taken_slugs.add(slug)
            out.append(AgencyPlan(first_id + len(out), name, slug, kind, province, sector, short, region, domain))
        return out

    def users(self, agencies: list[AgencyPlan], count: int, first_id: int) -> list[UserPlan]:
        rng = self.rng
        # Every agency has someone; the rest go to bigger agencies (ministries, health, civil registry) more often.
        size = [rng.lognormvariate(0, 0.8) * (3 if a.kind in ("kementerian", "lembaga") else 1) for a in agencies]
        size_cum = _cumulative(size)
        homes = list(agencies) + rng.choices(agencies, cum_weights=size_cum, k=max(0, count - len(agencies)))
        users: list[UserPlan] = []
        for offset, agency in enumerate(homes):
            first = rng.choice(W.FIRST_NAMES)
            last = rng.choice(W.LAST_NAMES)
            # Activity is heavy-tailed: a few people write much of the forum.
            weight = min(rng.paretovariate(1.5), 40.0)
            honorific = "Bu" if first in W.FEMALE_FIRST_NAMES else "Pak"
            users.append(UserPlan(first_id + offset, agency, f"{first} {last}", honorific, weight))
        return users

    def email(self, user: UserPlan) -> str:
        base = slugify(user.display_name, separator=".")
        for n in itertools.count(1):
            email = f"{base}@{user.agency.domain}" if n == 1 else f"{base}{n}@{user.agency.domain}"
            if email not in self.taken_emails:
                self.taken_emails.add(email)
                return email
        raise AssertionError("unreachable")

    def nip(self, user: UserPlan) -> str | None:
        rng = self.rng
        if rng.random() < 0.15:
            return None
        birth = datetime(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
        start_year = min(birth.year + rng.randint(22, 35), 2024)
        gender = 2 if user.honorific == "Bu" else 1
        return f"{birth:%Y%m%d}{start_year}{rng.randint(1, 12):02d}{gender}{rng.randint(1, 999):03d}"


# --- text -----------------------------------------------------------------------------------------------------

CHANNEL_SHORT_DIGITAL = ("aplikasi", "WhatsApp", "layanan daring", "kode QR", "SMS gateway", "portal web")
CHANNEL_SHORT_OFFLINE = ("mobil keliling", "kader desa", "loket akhir pekan", "petugas jemput bola")
SYSTEMS = ("SPBE", "Satu Data Indonesia", "IKD", "aplikasi Super App daerah", "SP4N-LAPOR", "OSS", "SIPD")
QUESTIONS = (
    "bagaimana SOP-nya disusun", "berapa anggaran yang dibutuhkan", "siapa saja mitra yang dilibatkan",
    "apakah perlu payung hukum berupa perbup atau perwali", "bagaimana cara memantau kinerjanya",
    "bagaimana menjaga keamanan data pribadi warga", "berapa petugas yang dibutuhkan",
    "bagaimana meyakinkan pimpinan OPD", "bagaimana mengukur kepuasan warga",
)  # fmt: skip
PERIODS = ("Januari sampai Desember", "enam bulan pertama", "triwulan terakhir", "dua tahun terakhir", "satu tahun")


class TextMaker:
    """Titles and paragraphs for threads and replies, from the phrase banks. One instance per generator run."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.banks = W.SECTOR_BANKS
        self.all_regions = [(p, f"{k} {n}") for p, regions in W.REGIONS.items() for k, n in regions]
        self.region_cum = _cumulative([W.PROVINCE_POPULATION[p] / len(W.REGIONS[p]) for p, _ in self.all_regions])

    # places and names

    def village(self) -> str:
        return self.rng.choice(W.PLACE_HEADS) + self.rng.choice(W.PLACE_TAILS)

    def region_of(self, agency: AgencyPlan) -> str:
        if agency.region and not agency.region.startswith("Provinsi"):
            return agency.region
        return self.rng.choices(self.all_regions, cum_weights=self.region_cum)[0][1]

    def location(self, agency: AgencyPlan) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return self.region_of(agency)
        if roll < 0.75:
            village = f"Kecamatan {self.village()}"
            return f"{village}, {self.region_of(agency)}" if rng.random() < 0.3 else village
        return f"Desa {self.village()}"

    def innovation_name(self, bank: dict[str, tuple]) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            parts = [rng.choice(W.NAME_ACRONYM_HEADS), rng.choice(W.NAME_ACRONYM_MIDS)]
            if rng.random() < 0.7:
                parts.append(rng.choice(W.NAME_ACRONYM_TAILS))
            return "".join(parts)
        word = rng.choice(bank["words"])
        if roll < 0.7:
            return f"{rng.choice(W.NAME_PREFIXES)} {word}"
        if roll < 0.85:
            return f"{word} {rng.choice(W.NAME_SUFFIXES)}"
        return f"e-{word}"

    def metric(self, bank: dict[str, tuple]) -> tuple[str, str, str, str]:
        """(name, before, after, "turun" or "naik") for one of the sector's metrics, numbers with units."""
        rng = self.rng
        name, unit, low, high, direction = rng.choice(bank["metrics"])
        decimals = (high - low) < 10
        before = rng.uniform(low, high)
        if direction == "down":
            after = before * rng.uniform(0.25, 0.8)
            word = "turun"
        else:
            after = before * rng.uniform(1.15, 2.2)
            if unit == "persen":
                after = min(after, rng.uniform(90, 99))
            word = "naik"
        return name, _quantity(before, unit, decimals), _quantity(after, unit, decimals), word

    # threads

    def thread(self, kind: str, sector: str, agency: AgencyPlan, created: datetime) -> dict[str, Any]:
        rng = self.rng
        bank = self.banks[sector]
        service = rng.choice(bank["services"])
        place = rng.choice(bank["places"])
        target = rng.choice(bank["targets"])
        problem = rng.choice(bank["problems"])
        partner = rng.choice(bank["partners"] if rng.random() < 0.7 else W.GENERIC_PARTNERS)
        loc = self.location(agency)
        out: dict[str, Any] = {"stage": None, "start_year": None, "is_digital": None, "case": ((), (), ())}
        if kind == "inovasi":
            digital = rng.random() < DIGITAL_SHARE
            name = self.innovation_name(bank)
            stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
            years_back = 0 if stage == "inisiatif" else min(int(rng.expovariate(0.55)), 8)
            start_year = max(created.year - years_back, 2016)
            channel = rng.choice(W.DIGITAL_CHANNELS if digital else W.OFFLINE_CHANNELS)
            out.update(stage=stage, start_year=start_year, is_digital=digital)
            out["title"] = self._innovation_title(bank, name, service, place, target, partner, loc, digital)
            out["body"] = self._innovation_body(sector, agency, name, service, target, problem, partner, start_year,
                                                digital, channel)  # fmt: skip
            out["case"] = self._case(bank, agency, name, service, place, target, problem, partner, start_year, stage,
                                     digital, channel)  # fmt: skip
        elif kind == "permasalahan":
            out["title"] = self._problem_title(service, place, target, problem, loc)
            out["body"] = self._problem_body(bank, agency, service, target, problem, partner)
        else:
            out["title"] = self._discussion_title(service, target, partner)
            out["body"] = self._discussion_body(bank, agency, service, target, problem, partner)
        out["topic"] = (service, target, problem, partner)
        return out

    def _innovation_title(self, bank, name, service, place, target, partner, loc, digital) -> str:
        rng = self.rng
        channel = rng.choice(CHANNEL_SHORT_DIGITAL if digital else CHANNEL_SHORT_OFFLINE)
        n = rng.randrange(11)
        if n == 0:
            return f"{_cap(service)} antar ke rumah di {loc}"
        if n == 1:
            return f"{name}: {service} lewat {channel} untuk {target}"
        if n == 2:
            return f"Antrean online {place} di {loc}"
        if n == 3:
            return f"{name}, {service} tanpa antre di {loc}"
        if n == 4:
            return f"Jemput bola {service} bagi {target} di {loc}"
        if n == 5:
            return f"Digitalisasi {service} melalui {name}"
        if n == 6:
            metric, _, _, word = self.metric(bank)
            verb = "menurunkan" if word == "turun" else "meningkatkan"
            return f"{name}: {verb} {metric} di {loc}"
        if n == 7:
            return f"Melayani {target} lebih dekat: {service} di {place} {loc}"
        if n == 8:
            return f"{name} di {loc}: kolaborasi dengan {partner} untuk {service}"
        if n == 9:
            return f"Inovasi {name} untuk {service} di {loc}"
        return f"{_cap(service)} terpadu bagi {target} lewat {name}"

    def _innovation_body(self, sector, agency, name, service, target, problem, partner, start_year, digital,
                         channel):  # fmt: skip
        rng = self.rng
        sector_label = taxonomy.SECTOR_BY_SLUG[sector].label.lower()
        paragraphs = []
        roll = rng.random()
        if roll < 0.4:
            paragraphs.append(
                f"{rng.choice(W.GREETINGS)} Izin berbagi inovasi pelayanan bidang {sector_label} yang kami jalankan "
                f"sejak {start_year} di {agency.name}."
            )
        elif roll < 0.8:
            paragraphs.append(
                f"{rng.choice(W.GREETINGS)} Kami dari {agency.name} ingin berbagi pengalaman melayani {target} "
                f"lewat inovasi {name}."
            )
        else:
            paragraphs.append(
                f"Rekan-rekan, berikut praktik baik dari {agency.name} untuk {service}. Namanya {name}, berjalan "
                f"sejak {start_year}."
            )
        variant = rng.randrange(3)
        if digital and variant == 0:
            paragraphs.append(
                f"Dulu, {problem} menjadi keluhan yang terus berulang. Lewat {name}, {target} cukup mengajukan "
                f"permohonan {service} melalui {channel}, lalu memantau statusnya tanpa harus datang ke kantor. "
                f"Petugas memverifikasi berkas paling lama {rng.choice(('1×24 jam', '2 hari kerja', '3 jam'))}, "
                f"dan warga dihubungi bila ada kekurangan."
            )
        elif digital and variant == 1:
            paragraphs.append(
                f"Masalah utamanya: {problem}. Kami membangun {channel} sehingga pendaftaran, verifikasi, dan "
                f"penerbitan hasil {service} tercatat dalam satu alur. Warga menerima notifikasi di setiap tahap, "
                f"dan pimpinan bisa memantau kinerja petugas lewat dasbor."
            )
        elif digital:
            paragraphs.append(
                f"Sebagian besar {target} kini mengurus {service} secara daring melalui {channel}. Bagi yang belum "
                f"terbiasa, petugas di {rng.choice(('kantor kecamatan', 'balai desa', 'MPP', 'loket bantuan'))} "
                f"membantu mengisi permohonan, jadi tidak ada warga yang tertinggal."
            )
        elif variant == 0:
            paragraphs.append(
                f"Dulu, {problem} membuat banyak warga enggan mengurus {service}. Lewat {name}, petugas datang "
                f"langsung dengan {channel}, sehingga {target} dilayani di dekat tempat tinggalnya. Jadwal "
                f"kunjungan diumumkan setiap {rng.choice(('Senin', 'awal bulan', 'pekan', 'Jumat'))} melalui "
                f"pengumuman desa dan media sosial dinas."
            )
        elif variant == 1:
            paragraphs.append(
                f"Masalah utamanya: {problem}. Karena itu kami memilih {channel}. Petugas melayani {service} "
                f"secara tatap muka, memeriksa berkas di tempat, dan mencatat setiap permohonan agar tidak ada "
                f"pengaduan yang terlewat."
            )
        else:
            paragraphs.append(
                f"Inovasi ini sengaja tidak bergantung pada aplikasi, karena banyak {target} belum memiliki ponsel "
                f"pintar. Melalui {channel}, {service} kini bisa diurus tanpa harus ke kota."
            )
        roll = rng.random()
        if roll < 0.3:
            paragraphs.append(
                f"Kunci keberhasilannya ada pada kerja sama dengan {partner} dan dukungan pimpinan daerah. "
                f"Pendanaan berasal dari {rng.choice(W.FUNDING)} dengan biaya sekitar Rp{rng.randint(25, 900)} juta "
                f"per tahun."
            )
        elif roll < 0.55:
            paragraphs.append(
                f"Yang paling kami rasakan, petugas bisa lebih fokus melayani warga yang memang membutuhkan tatap "
                f"muka. Pengaduan tentang {service} juga jauh berkurang."
            )
        elif roll < 0.7:
            paragraphs.append(
                f"Inovasi ini masuk Top {rng.choice((5, 10, 45, 99))} Kompetisi Inovasi Pelayanan Publik tingkat "
                f"{rng.choice(('provinsi', 'nasional', 'kementerian'))} dan sudah direplikasi oleh "
                f"{rng.randint(2, 17)} daerah lain."
            )
        paragraphs.append(rng.choice(W.CLOSINGS))
        return paragraphs

    def _case(self, bank, agency, name, service, place, target, problem, partner, start_year, stage, digital,
              channel):  # fmt: skip
        rng = self.rng
        metric, before, after, word = self.metric(bank)
        level = "mencapai" if word == "turun" else "baru mencapai"
        problem_paragraphs = [
            f"Sebelum {start_year}, {problem} menjadi keluhan utama warga. Rata-rata {rng.randint(40, 400)} warga "
            f"per hari datang ke {place}, dan {metric} {level} {before}. "
            + rng.choice((
                f"Warga dari desa terjauh harus menempuh perjalanan lebih dari {rng.randint(1, 5)} jam.",
                "Keluhan masuk berulang kali lewat kanal SP4N-LAPOR dan media sosial.",
                f"Petugas kewalahan karena hanya ada {rng.randint(2, 6)} loket yang melayani.",
                f"{_cap(target)} paling dirugikan karena harus bolak-balik mengurus berkas.",
            ))
        ]  # fmt: skip
        if digital:
            how = (
                f"{name} memindahkan pengajuan {service} ke {channel}. Pertama, warga mendaftar dan mengunggah "
                f"berkas persyaratan. Kedua, petugas memverifikasi dan memproses permohonan. Ketiga, dokumen atau "
                f"hasil layanan diterbitkan dengan tanda tangan elektronik dan dapat diunduh mandiri."
            )
        else:
            how = (
                f"{name} mendekatkan {service} kepada {target} melalui {channel}. Petugas menyusun jadwal per "
                f"kecamatan, memeriksa kelengkapan berkas di tempat, dan mencatat setiap pelayanan dalam buku "
                f"register agar dapat diaudit."
            )
        solution_paragraphs = [
            how,
            (
                f"Kami bekerja sama dengan {partner} dan {rng.choice(W.GENERIC_PARTNERS)}, serta menyusun SOP yang "
                f"ditetapkan dengan keputusan kepala dinas."
            ),
        ][: 1 + (rng.random() < 0.6)]
        if stage == "inisiatif":
            results_paragraphs = [
                (
                    f"Inovasi ini baru dimulai sehingga data dampaknya belum lengkap. Target kami, {metric} {word} dari "
                    f"{before} menjadi {after} dalam {rng.choice(W.WEEKS)} ke depan."
                )
            ]
        else:
            period = rng.choice(PERIODS)
            scope = "uji coba di beberapa desa" if stage == "uji-coba" else "penerapan penuh"
            results_paragraphs = [
                (
                    f"Berdasarkan catatan internal selama {period} ({scope}), {metric} {word} dari {before} menjadi "
                    f"{after}. Nilai survei kepuasan masyarakat untuk layanan ini mencapai "
                    f"{_number(rng.uniform(78, 96), True)} dari 100."
                )
            ]
            if rng.random() < 0.5:
                metric2, before2, after2, word2 = self.metric(bank)
                if metric2 != metric:
                    results_paragraphs.append(f"Selain itu, {metric2} {word2} dari {before2} menjadi {after2}.")
        return problem_paragraphs, solution_paragraphs, results_paragraphs

    def _problem_title(self, service, place, target, problem, loc) -> str:
        n = self.rng.randrange(7)
        if n == 0:
            return f"{_cap(problem)} di {place}, bagaimana solusinya?"
        if n == 1:
            return f"Kendala {service} untuk {target} di daerah terpencil"
        if n == 2:
            return f"Mohon saran: {problem} di {loc}"
        if n == 3:
            return f"Bagaimana mengurangi {problem}?"
        if n == 4:
            return f"Pengaduan warga soal {service} terus meningkat, ada pengalaman?"
        if n == 5:
            return f"{_cap(service)} terhambat {problem}"
        return f"Butuh referensi SOP {service} untuk {target}"

    def _problem_body(self, bank, agency, service, target, problem, partner):
        rng = self.rng
        metric, before, after, word = self.metric(bank)
        worse, target_value = (after, before) if word == "turun" else (before, after)
        who = agency.short if rng.random() < 0.4 and agency.region else agency.name
        paragraphs = [
            f"{rng.choice(W.GREETINGS)} Kami di {who} sedang menghadapi {problem} dalam {service}.",
            (
                f"Dalam {rng.choice(PERIODS)} terakhir, {metric} masih {worse}, padahal target RPJMD kami {target_value}. "
                f"Pengaduan yang masuk lewat SP4N-LAPOR juga naik sekitar {rng.randint(10, 80)}%, kebanyakan dari "
                f"{target}."
            ),
            (
                f"Apakah ada daerah yang berhasil mengatasi hal serupa? Kami ingin tahu {rng.choice(QUESTIONS)}, dan "
                f"{rng.choice(QUESTIONS)}. Kami juga terbuka untuk melibatkan {partner}."
            ),
        ]
        if rng.random() < 0.5:
            paragraphs.append(rng.choice(("Terima kasih sebelumnya.", "Mohon pencerahannya, rekan-rekan.",
                                          "Setiap masukan sangat berarti bagi kami.")))  # fmt: skip
        return paragraphs

    def _discussion_title(self, service, target, partner) -> str:
        rng = self.rng
        n = rng.randrange(7)
        if n == 0:
            return f"Berbagi pengalaman: {service} berbasis {rng.choice(CHANNEL_SHORT_DIGITAL + CHANNEL_SHORT_OFFLINE)}"
        if n == 1:
            return f"Perlukah {service} diintegrasikan dengan {rng.choice(SYSTEMS)}?"
        if n == 2:
            return f"Diskusi: dampak {rng.choice(W.REGULATIONS)} terhadap {service}"
        if n == 3:
            return f"Siapa yang sudah menerapkan TTE untuk {service}?"
        if n == 4:
            return f"Ide replikasi {service} bagi {target} dari daerah lain"
        if n == 5:
            return f"Bagaimana mengukur keberhasilan {service}?"
        funds = rng.sample(W.FUNDING, 2)
        return f"Tanya: anggaran {service} dari {funds[0]} atau {funds[1]}?"

    def _discussion_body(self, bank, agency, service, target, problem, partner):
        rng = self.rng
        status = rng.choice((
            f"melayani {service} secara manual di {rng.choice(bank['places'])}",
            f"menyusun rencana aksi untuk {service}",
            f"menguji coba {service} di {rng.randint(2, 9)} kecamatan",
            f"mengevaluasi layanan {service} setelah banyak pengaduan tentang {problem}",
        ))  # fmt: skip
        place = agency.region or "daerah kami"
        return [
            f"{rng.choice(W.GREETINGS)} Saya ingin membuka diskusi tentang {service} di daerah masing-masing.",
            f"Di {place}, kami masih {status}. Kendala terbesarnya adalah {problem}, terutama bagi {target}.",
            (
                f"Beberapa pertanyaan untuk rekan-rekan: {_cap(rng.choice(QUESTIONS))}? Apakah {partner} ikut dilibatkan? "
                f"Apakah {rng.choice(W.REGULATIONS)} sudah cukup sebagai dasar hukum?"
            ),
        ]

    # replies

    def reply(self, bank: dict[str, tuple], topic: tuple[str, str, str, str], author: UserPlan,
              thread_author: UserPlan, is_author: bool) -> list[str]:  # fmt: skip
        rng = self.rng
        service, target, problem, partner = topic
        hon = thread_author.honorific if rng.random() < 0.8 else rng.choice(W.HONORIFICS)
        if is_author:
            answer = rng.choice((
                f"Anggarannya dari {rng.choice(W.FUNDING)}, sekitar Rp{rng.randint(20, 750)} juta per tahun.",
                ("SOP dan contoh perjanjian kerja sama sudah kami unggah di laman dinas; silakan hubungi kami lewat "
                "WhatsApp resmi."),
                f"Saat ini ada {rng.randint(2, 25)} petugas yang bergantian setiap hari, dibantu {partner}.",
                "Silakan, kami dengan senang hati menerima kunjungan studi tiru. Kabari saja jadwalnya.",
                (f"Betul, kendala awalnya memang {problem}. Kami atasi dengan sosialisasi bertahap selama "
                f"{rng.choice(W.WEEKS)}."),
                f"Datanya sudah terhubung dengan {rng.choice(SYSTEMS)}, jadi petugas tidak perlu input ulang.",
            ))  # fmt: skip
            return [f"Terima kasih, {rng.choice(W.HONORIFICS)}. {answer}"]
        region = author.agency.region or "kementerian kami"
        n = rng.randrange(10)
        if n == 0:
            text = (
                f"Terima kasih sudah berbagi, {hon}. Di {region} kami juga menghadapi {problem}. "
                f"Bagaimana cara {rng.choice(('melibatkan', 'mengajak', 'meyakinkan'))} {partner} sejak awal?"
            )
        elif n == 1:
            funds = rng.sample(W.FUNDING, 2)
            text = (
                f"Izin bertanya, {hon}: untuk {service} ini anggarannya dari {funds[0]} atau {funds[1]}? "
                f"Lalu berapa petugas yang dilibatkan?"
            )
        elif n == 2:
            metric, _, _, word = self.metric(bank)
            text = (
                f"Praktik baik yang layak direplikasi. Kami di {author.agency.name} sudah mencoba pola serupa "
                f"sejak {rng.randint(2019, 2025)}, dan {metric} {word} sekitar {rng.randint(10, 60)}%."
            )
        elif n == 3:
            text = (
                f"Apakah layanan ini sudah terintegrasi dengan {rng.choice(SYSTEMS)}? Kami khawatir soal "
                f"pelindungan data pribadi {target}."
            )
        elif n == 4:
            text = f"Menarik sekali, {hon}. Boleh kami minta contoh SOP dan perjanjian kerja sama dengan {partner}?"
        elif n == 5:
            text = (
                f"Saran kami, libatkan {rng.choice(W.GENERIC_PARTNERS)} sejak perencanaan supaya {target} merasa "
                f"memiliki layanan ini. Pengalaman kami, pengaduan turun drastis setelah itu."
            )
        elif n == 6:
            text = f"Kami tertarik studi tiru. Kapan waktu yang tepat, {hon}? Kami dari {author.agency.name}."
        elif n == 7:
            text = (
                f'Istilah "jemput bola" sering disalahpahami pimpinan sebagai kegiatan sesaat. Bagaimana '
                f"{hon} menjaga agar {service} tetap berjalan setelah anggaran kegiatan habis?"
            )
        elif n == 8:
            text = (
                f"Kami punya masalah yang mirip: {problem}. Sudah dicoba {rng.choice(W.OFFLINE_CHANNELS)}, "
                f"tetapi hasilnya belum optimal. Mohon sarannya."
            )
        else:
            text = (
                f"Sebagai catatan, {rng.choice(W.REGULATIONS)} mengatur standar pelayanan untuk {service}. "
                f"Pastikan maklumat pelayanan dan kanal pengaduannya diumumkan."
            )
        paragraphs = [text]
        if rng.random() < 0.2:
            paragraphs.append(rng.choice(("Terima kasih.", "Salam sinergi.", "Sukses selalu untuk timnya.",
                                          f"Salam dari {region}.")))  # fmt: skip
        return paragraphs


# --- time -----------------------------------------------------------------------------------------------------

# Share of posts by UTC hour (office hours in WIB/WITA/WIT are about 00–10 UTC), evenings lighter.
_HOUR_WEIGHTS = [6, 9, 10, 10, 9, 8, 8, 7, 6, 4, 3, 3, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 2, 4]
_HOUR_CUM = _cumulative(_HOUR_WEIGHTS)


def _creation_times(rng: random.Random, count: int, end: datetime) -> list[datetime]:
    """``count`` moments over the last YEARS years, denser towards ``end`` (exponential growth, ~3× over the span),
    in office hours mostly, sorted."""
    span_days = YEARS * 365
    start = end - timedelta(days=span_days)
    growth = 1.1
    scale = math.expm1(growth)
    out: list[datetime] = []
    for _ in range(count):
        day = int(span_days * math.log1p(rng.random() * scale) / growth)
        moment = start + timedelta(days=day)
        if moment.weekday() >= 5 and rng.random() < 0.7:  # fewer posts at the weekend
            moment -= timedelta(days=moment.weekday() - 4)
        hour = bisect.bisect_left(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])
        moment = moment.replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(
            seconds=rng.randrange(3600), microseconds=rng.randrange(1, 1_000_000)
        )
        out.append(min(moment, end - timedelta(minutes=5)))
    out.sort()
    return out


def _reply_count(rng: random.Random, kind: str) -> int:
    """About 2 on average: a quarter get none, most a few, a few per cent are long conversations."""
    roll = rng.random()
    if roll < (0.22 if kind == "permasalahan" else 0.27):
        return 0
    if roll < 0.965:
        return 1 + int(rng.expovariate(1 / 1.45))
    return min(int(rng.lognormvariate(2.6, 0.6)), 250)


def _reply_times(rng: random.Random, created: datetime, count: int, end: datetime) -> list[datetime]:
    hot = count > 12
    moments: list[datetime] = []
    moment = created + timedelta(minutes=10) + timedelta(hours=rng.expovariate(1 / (3 if hot else 10)))
    for _ in range(count):
        moments.append(moment)
        moment += timedelta(minutes=2) + timedelta(hours=rng.expovariate(1 / (2 if hot else 16)))
    limit = end - timedelta(minutes=1)
    if moments and moments[-1] > limit:  # squeeze the conversation into the time there was
        room = (limit - created).total_seconds()
        used = (moments[-1] - created).total_seconds()
        moments = [created + timedelta(seconds=(m - created).total_seconds() * room / used) for m in moments]
    return moments


# --- database sinks -------------------------------------------------------------------------------------------


class _Sink:
    # Whether writing a batch while generating the next one pays off (measured: yes for PostgreSQL, where the
    # server does the work in another process; no for SQLite, where aiosqlite's thread fights for the GIL).
    overlap = False

    async def open(self) -> None: ...
    async def max_id(self, table: str) -> int: ...
    async def column(self, table: str, column: str) -> list[Any]: ...
    async def write(self, rows: dict[str, list[tuple]]) -> None: ...
    async def finish(self) -> None: ...
    async def close(self) -> None: ...


class _SQLiteSink(_Sink):
    """executemany on one aiosqlite connection from Piccolo's engine, one IMMEDIATE transaction per batch."""

    def __init__(self, db: Any):
        self.db = db
        self.conn: Any = None

    async def open(self) -> None:
        self.conn = await self.db.get_connection()
        # This connection only: no fsync per commit while bulk loading (a crash would lose a synthetic batch).
        await self.conn.execute("PRAGMA synchronous = OFF")
        await self.conn.execute("PRAGMA cache_size = -262144")

    async def max_id(self, table: str) -> int:
        async with self.conn.execute(f'SELECT COALESCE(MAX(id), 0) AS m FROM "{table}"') as cursor:
            row = await cursor.fetchone()
        return int(row["m"])

    async def column(self, table: str, column: str) -> list[Any]:
        async with self.conn.execute(f'SELECT "{column}" AS v FROM "{table}"') as cursor:
            return [row["v"] for row in await cursor.fetchall()]

    async def write(self, rows: dict[str, list[tuple]]) -> None:
        await self.conn.execute("BEGIN IMMEDIATE")
        try:
            for table, batch in rows.items():
                if batch:
                    columns = COLUMNS[table]
                    sql = (f'INSERT INTO "{table}" ({", ".join(columns)}) '
                           f'VALUES ({", ".join("?" * len(columns))})')  # fmt: skip
                    await self.conn.executemany(sql, batch)
        except BaseException:
            await self.conn.execute("ROLLBACK")
            raise
        await self.conn.execute("COMMIT")

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()


class _PostgresSink(_Sink):
    """COPY on one asyncpg connection from Piccolo's engine, one transaction per batch; sequences and
    planner statistics brought up to date at the end."""

    overlap = True

    def __init__(self, db: Any):
        self.db = db
        self.conn: Any = None

    async def open(self) -> None:
        self.conn = await self.db.get_new_connection()

    async def max_id(self, table: str) -> int:
        return int(await self.conn.fetchval(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"'))

    async def column(self, table: str, column: str) -> list[Any]:
        return [row[0] for row in await self.conn.fetch(f'SELECT "{column}" FROM "{table}"')]

    async def write(self, rows: dict[str, list[tuple]]) -> None:
        async with self.conn.transaction():
            for table, batch in rows.items():
                if batch:
                    await self.conn.copy_records_to_table(table, records=batch, columns=list(COLUMNS[table]))

    async def finish(self) -> None:
        for table in COLUMNS:
            await self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), 1))'
            )
        for table in COLUMNS:
            await self.conn.execute(f'ANALYZE "{table}"')

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()


def _sink() -> _Sink:
    from piccolo.engine.postgres import PostgresEngine
    from piccolo.engine.sqlite import SQLiteEngine

    from forum.core.db import engine

    db = engine()
    if isinstance(db, SQLiteEngine):
        return _SQLiteSink(db)
    if isinstance(db, PostgresEngine):
        return _PostgresSink(db)
    raise RuntimeError(f"unsupported engine {type(db).__name__}")


async def ensure_schema() -> None:
    """Bring the schema up to date: create the tables if they are missing, apply pending migrations otherwise
    (the rows written here need every column of ``COLUMNS``). A no-op on an up-to-date database."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="forum", migration_id="all")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")


# --- the generator --------------------------------------------------------------------------------------------


def _weighted_sample(rng: random.Random, items: list[str], cum: list[float], k: int) -> list[str]:
    chosen: list[str] = []
    while len(chosen) < k:
        item = rng.choices(items, cum_weights=cum)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


async def generate(threads: int, seed: int = 7, progress: Progress | None = None) -> dict[str, Any]:
    """Insert ~500 agencies, ~3,000 users, ``threads`` threads with their value tags and replies.

    Returns the counts inserted and the seconds taken. ``progress(done_threads, total_threads)`` is called after
    every batch. The same seed gives the same content (timestamps are relative to now)."""
    from forum.accounts.passwords import hash_password

    started = time.perf_counter()
    rng = random.Random(seed)
    end = datetime.now(UTC).replace(microsecond=0)
    await ensure_schema()
    sink = _sink()
    await sink.open()
    pending: asyncio.Future[None] | None = None
    pending_sizes = (0, 0, 0)

    async def written() -> None:
        nonlocal pending
        if pending is None:
            return
        task, pending = pending, None
        await task
        counts["threads"] += pending_sizes[0]
        counts["thread_values"] += pending_sizes[1]
        counts["posts"] += pending_sizes[2]
        if progress:
            progress(counts["threads"], threads)

    try:
        first = {table: await sink.max_id(table) + 1 for table in COLUMNS}
        people = PeopleMaker(
            rng,
            set(await sink.column("agency", "name")),
            set(await sink.column("agency", "slug")),
            set(await sink.column("forum_user", "email")),
        )
        # Smaller runs (tests) get proportionally fewer agencies and users, but never absurdly few.
        agency_count = AGENCY_TARGET if threads >= 5000 else max(60, threads // 10)
        user_count = USER_TARGET if threads >= 5000 else max(agency_count, threads // 2)
        beginning = end - timedelta(days=YEARS * 365)
        agencies = people.agencies(agency_count, first["agency"])
        users = people.users(agencies, user_count, first["forum_user"])
        password_hash = await hash_password(SYNTHETIC_PASSWORD)

        agency_rows = [
            (a.id, a.name, a.slug, a.kind, a.province, beginning - timedelta(days=rng.randrange(30, 400)))
            for a in agencies
        ]
        roles = ["member"] * len(users)
        for index in rng.sample(range(len(users)), min(len(users), 2 + len(users) // 100)):
            roles[index] = "moderator"
        for index in rng.sample(range(len(users)), min(len(users), 2)):
            roles[index] = "admin"
        # The first member of each agency is its agency admin; they verified most colleagues within days.
        admin_of = {u.agency.id: u.id for u in reversed(users)}
        user_rows = []
        for u, role in zip(users, roles, strict=True):
            joined = beginning - timedelta(days=rng.randrange(0, 200), seconds=rng.randrange(86400))
            is_agency_admin = admin_of[u.agency.id] == u.id
            if is_agency_admin:
                verified_at, verified_by = joined, None
            elif rng.random() < 0.92:
                verified_at, verified_by = joined + timedelta(minutes=rng.randint(30, 14400)), admin_of[u.agency.id]
            else:
                verified_at, verified_by = None, None
            user_rows.append((
                u.id, people.email(u), u.display_name, password_hash, role, u.agency.id, people.nip(u),
                rng.random() > 0.01, joined, is_agency_admin, verified_at, verified_by, joined,
            ))  # fmt: skip
        await sink.write({"agency": agency_rows, "forum_user": user_rows})

        # Who writes about what: mostly people whose agency works in that sector, weighted by activity.
        active = [u for u, row in zip(users, user_rows, strict=True) if row[7]]
        active_cum = _cumulative([u.weight for u in active])
        by_sector: dict[str, tuple[list[UserPlan], list[float]]] = {}
        for sector in SECTOR_RANKING:
            members = [u for u in active if u.agency.sector == sector]
            if members:
                by_sector[sector] = (members, _cumulative([u.weight for u in members]))

        sectors = list(SECTOR_RANKING)
        sector_cum = _cumulative([SECTOR_WEIGHTS[s] for s in sectors])
        kinds = list(KIND_WEIGHTS)
        kind_cum = _cumulative(list(KIND_WEIGHTS.values()))
        values = list(VALUE_WEIGHTS)
        value_cum = _cumulative(list(VALUE_WEIGHTS.values()))
        value_counts = list(VALUE_COUNT_WEIGHTS)
        value_count_cum = _cumulative(list(VALUE_COUNT_WEIGHTS.values()))
        # Every sector appears at least once, whatever N: these positions get one sector each.
        forced = dict(zip(rng.sample(range(threads), min(threads, len(sectors))), rng.sample(sectors, len(sectors)), strict=False))

        text = TextMaker(rng)
        created_times = _creation_times(rng, threads, end)
        thread_id, value_id, post_id = first["thread"], first["thread_value"], first["post"]
        counts = {"agencies": len(agency_rows), "users": len(user_rows), "threads": 0, "thread_values": 0, "posts": 0}

        for batch_start in range(0, threads, BATCH_THREADS):
            thread_rows: list[tuple] = []
            value_rows: list[tuple] = []
            post_rows: list[tuple] = []
            for index in range(batch_start, min(threads, batch_start + BATCH_THREADS)):
                if pending is not None and index % 100 == 0:
                    await asyncio.sleep(0)  # let the pending write make progress
                created = created_times[index]
                sector = forced.get(index) or rng.choices(sectors, cum_weights=sector_cum)[0]
                kind = rng.choices(kinds, cum_weights=kind_cum)[0]
                if sector in by_sector and rng.random() < 0.7:
                    members, cum = by_sector[sector]
                    author = rng.choices(members, cum_weights=cum)[0]
                else:
                    author = rng.choices(active, cum_weights=active_cum)[0]
                agency = author.agency
                made = text.thread(kind, sector, agency, created)
                title = made["title"]
                body_source, body_html = source_and_html(made["body"])
                case = [source_and_html(paragraphs) for paragraphs in made["case"]]

                bank = W.SECTOR_BANKS[sector]
                replies = _reply_count(rng, kind)
                reply_times = _reply_times(rng, created, replies, end)
                for moment in reply_times:
                    if len(reply_times) > 1 and moment != reply_times[0] and rng.random() < 0.2:
                        replier, is_author = author, True
                    else:
                        replier = rng.choices(active, cum_weights=active_cum)[0]
                        for _ in range(3):  # mostly other agencies
                            if replier.agency is not agency or rng.random() < 0.15:
                                break
                            replier = rng.choices(active, cum_weights=active_cum)[0]
                        is_author = replier is author
                    source, rendered = source_and_html(text.reply(bank, made["topic"], replier, author, is_author))
                    edited = rng.random() < 0.03
                    post_rows.append((
                        post_id, thread_id, replier.id, source, rendered, moment,
                        min(moment + timedelta(minutes=rng.randint(2, 600)), end) if edited else None,
                        2 if edited else 1,
                    ))  # fmt: skip
                    post_id += 1
                last_activity = reply_times[-1] if reply_times else created
                edited = rng.random() < 0.06
                updated = min(created + timedelta(minutes=rng.randint(5, 3000)), end) if edited else created

                k = rng.choices(value_counts, cum_weights=value_count_cum)[0]
                for value in _weighted_sample(rng, values, value_cum, k):
                    value_rows.append((value_id, thread_id, value))
                    value_id += 1

                thread_rows.append((
                    thread_id, kind, title, slugify(title, max_length=100, word_boundary=True) or "topik",
                    body_source, body_html, author.id, agency.id, sector, agency.province,
                    created, updated, last_activity, replies, 2 if edited else 1,
                    case[0][0], case[0][1], case[1][0], case[1][1], case[2][0], case[2][1],
                    made["stage"], made["start_year"], made["is_digital"],
                ))  # fmt: skip
                thread_id += 1
            # Write this batch while the next one is generated: the database works (in the PostgreSQL server, or
            # in aiosqlite's thread with the GIL released) while Python makes text.
            await written()
            batch = {"thread": thread_rows, "thread_value": value_rows, "post": post_rows}
            pending = asyncio.ensure_future(sink.write(batch))
            pending_sizes = (len(thread_rows), len(value_rows), len(post_rows))
            if not sink.overlap:
                await written()
        await written()
        await sink.finish()
    finally:
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(BaseException):
                await pending
        await sink.close()
    from forum.dashboard import tally

    await tally.mark_everything()  # rows went in behind the services' back: the dashboard recounts them
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fill the configured database with synthetic forum content.")
    parser.add_argument("--threads", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    import anyio

    from forum.core import db
    from forum.core.settings import get_settings

    settings = get_settings()
    where = "PostgreSQL" if settings.uses_postgres else f"SQLite {settings.sqlite_path}"
    started = time.perf_counter()

    def show(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed else 0
        sys.stderr.write(f"\r{done:>9,}/{total:,} threads  {elapsed:6.1f} s  {rate:8,.0f} threads/s")
        sys.stderr.flush()

    async def run() -> dict[str, Any]:
        await ensure_schema()
        await db.prepare_engine()
        try:
            return await generate(args.threads, seed=args.seed, progress=show)
        finally:
            await db.release_engine()

    print(f"Generating {args.threads:,} threads (seed {args.seed}) into {where}", file=sys.stderr)
    counts = anyio.run(run)
    sys.stderr.write("\n")
    print(
        ", ".join(f"{key}={value:,}" if isinstance(value, int) else f"{key}={value}" for key, value in counts.items())
    )


if __name__ == "__main__":
    main()
