from forum.core.markup import excerpt, render, to_plain_text


def test_markdown_features_survive_sanitising() -> None:
    html = render("# Judul\n\n**tebal** _miring_ ~~coret~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- satu\n- dua")
    for fragment in ("<h1>Judul</h1>", "<strong>tebal</strong>", "<em>miring</em>", "<s>coret</s>", "<table>", "<li>dua</li>"):
        assert fragment in html


def test_raw_html_is_text_not_markup() -> None:
    assert render("<b>halo</b>") == "<p>&lt;b&gt;halo&lt;/b&gt;</p>\n"


def test_bare_urls_become_nofollow_links() -> None:
    html = render("lihat https://example.go.id/a")
    assert '<a href="https://example.go.id/a" rel="nofollow ugc noopener">' in html


def test_plain_text_and_excerpt() -> None:
    html = render("Paragraf **satu**.\n\nParagraf dua &amp; tiga.")
    assert to_plain_text(html) == "Paragraf satu. Paragraf dua & tiga."
    assert excerpt(render("kata " * 100), limit=20).endswith("…")
    assert render("   ") == ""
