from forum.core import taxonomy


def test_berakhlak_values_with_three_guidelines_each() -> None:
    assert [v.label for v in taxonomy.VALUES] == [
        "Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]  # fmt: skip
    assert all(len(v.guidelines) == 3 for v in taxonomy.VALUES)


def test_sectors_are_the_32_affairs_of_uu_23_2014_plus_internal_governance() -> None:
    affairs = [s for s in taxonomy.SECTORS if s.group != "Tata kelola internal"]
    assert len(affairs) == 32 and len(taxonomy.SECTORS) == 33
    assert sum(s.group == "Urusan wajib pelayanan dasar" for s in affairs) == 6
    assert sum(s.group == "Urusan pilihan" for s in affairs) == 8
    assert "administrasi-kependudukan-pencatatan-sipil" in taxonomy.SECTOR_BY_SLUG


def test_38_provinces_and_unique_slugs() -> None:
    assert len(taxonomy.PROVINCES) == 38
    for terms in (taxonomy.VALUES, taxonomy.SECTORS, taxonomy.PROVINCES):
        assert len({t.slug for t in terms}) == len(terms)


def test_label_never_raises() -> None:
    assert taxonomy.label(taxonomy.VALUE_BY_SLUG, "adaptif") == "Adaptif"
    assert taxonomy.label(taxonomy.VALUE_BY_SLUG, "entah") == "entah"
    assert taxonomy.label(taxonomy.VALUE_BY_SLUG, None) == ""
