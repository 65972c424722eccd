"""Sources from local files: every kind, every encoding, and the bad-input matrix."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from briefing import sources
from briefing.errors import EmptyArticleError, SourceError
from briefing.sources import load, load_all
from tests.conftest import FEEDS, SHARED_FEEDS, needs_shared_feeds, shared_feeds

DATA = Path(__file__).parent / "data" / "sources"
LIBRARY_TEXT = (DATA / "article.txt").read_text(encoding="utf-8")


def one(source: str | Path, **kwargs: object) -> sources.Article:  # type: ignore[name-defined]
    articles = load(str(source), **kwargs)  # type: ignore[arg-type]
    assert len(articles) == 1
    return articles[0]


def test_text_file() -> None:
    article = one(DATA / "article.txt")
    assert article.title == "Harbour town opens new ferry terminal"
    assert article.text.startswith("The new ferry terminal")
    assert article.language == "en"
    assert article.source == str(DATA / "article.txt")


def test_markdown_markup_is_never_spoken() -> None:
    article = one(DATA / "article.md")
    assert article.title == "Rail line reopens after storm repairs"
    text = article.text
    for markup in ("#", "**", "*", "](", "![", "```", "`", "print(", "<div", "Advertisement"):
        assert markup not in text, markup
    assert "full timetable" in text  # link text kept
    assert "What changes for passengers." in text  # heading becomes a paragraph
    assert "Trains run every thirty minutes again." in text  # list items become sentences


def test_html_file_with_metadata() -> None:
    article = one(DATA / "article.html")
    assert article.title == "City library extends its opening hours"
    assert article.author == "Maria Jensen"
    assert article.site_name == "The Valley Gazette"
    assert article.date == "2024-03-05"
    assert article.language == "en"
    assert "heat pump" in article.text and "reading room" in article.text
    for furniture in ("Most read", "Copyright", "Privacy", "Sport"):
        assert furniture not in article.text


@pytest.mark.parametrize(
    ("name", "language", "titles"),
    [
        (
            "feed.rss",
            "en",
            [
                "Newest story about the library",
                "Older story about the market",
                "Oldest story about the bridge",
            ],
        ),
        ("feed.atom", "de", ["Die Bibliothek bleibt länger geöffnet", "Der Markt kehrt zurück"]),
        ("feed.rdf", "fr", ["La bibliothèque ouvre plus tard"]),
    ],
)
def test_feed_files_offline(name: str, language: str, titles: list[str]) -> None:
    articles = load(str(DATA / name), offline=True)
    assert [a.title for a in articles] == titles  # newest first
    for article in articles:
        assert article.language == language
        assert article.text.strip() and "<" not in article.text
        assert article.url.startswith("https://example.org/")
        assert article.source == str(DATA / name)
        assert article.date.startswith("2024-03-0")


def test_feed_prefers_content_encoded_and_keeps_author() -> None:
    newest = load(str(DATA / "feed.rss"), offline=True)[0]
    assert "survey of residents" in newest.text  # content:encoded, not the short description
    assert newest.author == "Maria Jensen"
    assert newest.site_name == "Valley Gazette"


def test_max_stories() -> None:
    assert len(load(str(DATA / "feed.rss"), offline=True, max_stories=2)) == 2


def test_load_all_keeps_order() -> None:
    got = load_all([str(DATA / "article.txt"), str(DATA / "feed.atom")], offline=True)
    assert [a.language for a in got] == ["en", "de", "de"]


OWN_FEEDS = sorted(FEEDS.glob("*"))


@pytest.mark.parametrize("path", [*OWN_FEEDS, *shared_feeds()],
                         ids=[p.name for p in [*OWN_FEEDS, *shared_feeds()]])  # fmt: skip
def test_dev_feeds_load_offline(path: Path) -> None:
    articles = load(str(path), offline=True, max_stories=3)
    assert len(articles) == 3
    for article in articles:
        assert article.text.strip() and article.title
        assert "<p>" not in article.text and "&lt;" not in article.text


@pytest.mark.parametrize(("path", "words", "language"), [
    (FEEDS / "latin1.rss", ("Notícias", "câmara", "gasóleo"), "pt"),
    (FEEDS / "cp1252.rss", ("“solidaire”", "3 €", "Déjà à Noël", "élèves"), "fr"),
    (FEEDS / "utf16.atom", ("Öffnungszeiten", "Bäckerei", "Radwege"), "de"),
    pytest.param(SHARED_FEEDS / "encoding.rss", ("Notícias",), "pt", marks=needs_shared_feeds),
], ids=["latin1", "cp1252", "utf16", "shared"])  # fmt: skip
def test_non_utf8_feed_is_decoded(path: Path, words: tuple[str, ...], language: str) -> None:
    articles = load(str(path), offline=True, max_stories=10)
    joined = " ".join(a.title + " " + a.text + " " + a.site_name for a in articles)
    for word in words:
        assert word in joined
    assert "\ufffd" not in joined and "Ã" not in joined and "â€" not in joined
    assert {a.language for a in articles} == {language}


# --- encodings -------------------------------------------------------------------------

ACCENTED = (
    "Le café de la gare a rouvert ses portes lundi matin. Les habitués étaient ravis « enfin »."
)


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("latin-1", b""), ("cp1252", b""), ("utf-16", b""), ("utf-8", b"\xef\xbb\xbf")],
)
def test_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = (
        ACCENTED + " Il a coûté 5 € et “ça” valait la peine." if encoding != "latin-1" else ACCENTED
    )
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(prefix + text.encode(encoding))
    article = one(path)
    assert article.text == text
    assert article.language == "fr"


def test_declared_charset_in_html(tmp_path: Path) -> None:
    html = (DATA / "article.html").read_text(encoding="utf-8")
    html = html.replace('charset="utf-8"', 'charset="windows-1252"').replace(
        "o'clock", "o’clock — café"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252"))
    assert "o’clock — café" in one(path).text


def test_mojibake_repaired(tmp_path: Path) -> None:
    path = tmp_path / "moji.txt"
    path.write_text("The café opened on Monday and the mayor said it’s wonderful news.")
    broken = path.read_text(encoding="utf-8").encode("utf-8").decode("cp1252")
    path.write_text(broken, encoding="utf-8")
    assert one(path).text == "The café opened on Monday and the mayor said it’s wonderful news."


def test_stdin_is_sniffed() -> None:
    html = (DATA / "article.html").read_bytes()
    article = one("-", stdin=io.BytesIO(html))
    assert article.title == "City library extends its opening hours"
    assert article.source == "-"
    feed = load("-", stdin=io.BytesIO((DATA / "feed.atom").read_bytes()), offline=True)
    assert len(feed) == 2


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_bytes((DATA / "feed.rdf").read_bytes())
    assert one(path, offline=True).language == "fr"
    md = tmp_path / "notes"
    md.write_text("# A title\n\nSome **bold** claim was made on Monday by the council.\n")
    assert one(md).text == "Some bold claim was made on Monday by the council."


# --- the bad-input matrix ----------------------------------------------------------------


def assert_one_line(error: pytest.ExceptionInfo[BaseException], source: str) -> str:
    message = str(error.value)
    assert "\n" not in message
    assert source in message
    return message


def test_missing_file(tmp_path: Path) -> None:
    source = str(tmp_path / "nope.txt")
    with pytest.raises(SourceError) as error:
        load(source)
    assert "no such file" in assert_one_line(error, source)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as error:
        load(str(tmp_path))
    assert "directory" in assert_one_line(error, str(tmp_path))


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", "\ufeff  \n".encode()])
def test_empty_or_whitespace(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyArticleError) as error:
        load(str(path))
    assert_one_line(error, str(path))


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG"),
        ("paper.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
        ("archive.zip", _zip_bytes(), "zip"),
        ("story.txt", b"looks like text\x00\x01\x02 but is not", "binary"),
    ],
)
def test_binary_files(tmp_path: Path, name: str, content: bytes, kind: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as error:
        load(str(path))
    assert kind in assert_one_line(error, str(path))


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # 50 MB, written sparsely: the check must not read it
        handle.seek(50 * 1024 * 1024 - 1)
        handle.write(b".")
    with pytest.raises(SourceError) as error:
        load(str(path))
    message = assert_one_line(error, str(path))
    assert "50.0 MB" in message and "5 MB limit" in message


def test_size_cap_is_a_module_constant(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefing import paths

    # one cap, in paths (render reads its script through it too); sources uses it
    monkeypatch.setattr(paths, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 100)
    with pytest.raises(SourceError, match="limit"):
        load(str(DATA / "article.txt"))
    with pytest.raises(SourceError, match="standard input"):
        load("-", stdin=io.BytesIO(b"x" * 500))


def test_list_of_links(tmp_path: Path) -> None:
    path = tmp_path / "links.txt"
    path.write_text(
        "https://example.org/a\nhttps://example.org/b\nMarket returns to the square\n"
        "www.example.org/c\nBridge closed for repairs\n"
    )
    with pytest.raises(EmptyArticleError) as error:
        load(str(path))
    assert "no sentences" in assert_one_line(error, str(path))


def test_markdown_list_of_links(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text("# Links\n\n- <https://example.org/a>\n- <https://example.org/b>\n")
    with pytest.raises(EmptyArticleError):
        load(str(path))


def test_html_without_article(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>App</title><script>var x = 1;</script></head>"
        "<body><div id='root'></div><noscript>Enable JavaScript.</noscript></body></html>"
    )
    with pytest.raises(EmptyArticleError) as error:
        load(str(path))
    assert_one_line(error, str(path))


def test_cookie_wall(tmp_path: Path) -> None:
    path = tmp_path / "wall.html"
    path.write_text(
        "<html><head><title>Before you continue</title></head><body><div class='consent'>"
        "<h1>We value your privacy</h1><p>We and our partners use cookies and similar "
        "technologies to store and access information on your device, for personalised ads "
        "and content, ad and content measurement, and audience insights. You can accept all "
        "cookies or manage your preferences at any time in the privacy settings.</p>"
        "<button>Accept all</button><button>Manage options</button></div></body></html>"
    )
    with pytest.raises(EmptyArticleError) as error:
        load(str(path))
    assert "cookie" in assert_one_line(error, str(path))


def test_feed_with_zero_items(tmp_path: Path) -> None:
    path = tmp_path / "empty.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Nothing</title>'
        "<link>https://example.org/</link><description>none</description></channel></rss>"
    )
    with pytest.raises(SourceError) as error:
        load(str(path), offline=True)
    assert "no items" in assert_one_line(error, str(path))


def test_malformed_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Bro</ken')
    with pytest.raises(SourceError) as error:
        load(str(path), offline=True)
    assert_one_line(error, str(path))


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    entities = "".join(
        f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 1}' + f'{("&lol" + str(i - 1) + ";") * 9}">'
        for i in range(1, 10)
    )
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">' + entities + "]>"
        '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        "<description>&lol9;</description></item></channel></rss>"
    )
    path = tmp_path / "bomb.rss"
    path.write_text(bomb)
    with pytest.raises(SourceError) as error:
        load(str(path), offline=True)
    assert "entities" in assert_one_line(error, str(path))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/feed.xml",
        "javascript:alert(1)",
        "data:text/html,hi",
    ],
)
def test_refused_schemes(url: str) -> None:
    with pytest.raises(SourceError) as error:
        load(url)
    assert "refused" in assert_one_line(error, url)


def test_url_with_offline_is_refused() -> None:
    with pytest.raises(SourceError, match="offline"):
        load("https://example.org/", offline=True)


def test_byline_is_not_taken_for_a_title(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("By Li Tielin, People’s Daily\n\n" + LIBRARY_TEXT.split("\n\n", 1)[1])
    article = one(path)
    assert article.title == ""
    assert article.text.startswith("By Li Tielin")  # clean.py lifts it into metadata


def _feed_with_a_gallery(tmp_path: Path) -> Path:
    """Four dated items, newest first: a story, a gallery with no words, two stories."""
    from html import escape

    gallery = (Path(__file__).parent / "data" / "pages" / "gallery.txt").read_text("utf-8")
    story = ("The {0} council voted on Tuesday to reopen the old market hall next spring. "
             "Traders welcomed the decision, and the mayor said the repairs would cost less "
             "than the council had feared when the roof was first inspected last year.")
    bodies = [story.format("river"), "".join(f"<p>{escape(p)}</p>" for p in
                                             gallery.split("\n\n")[1:]),
              story.format("harbour"), story.format("valley")]
    titles = ["Market hall to reopen", "In pictures: the marathon", "Harbour vote",
              "Valley vote"]
    items = "".join(
        f"<item><title>{t}</title><link>https://example.org/{i}</link>"
        f"<pubDate>Mon, 0{7 - i} Dec 2026 08:00:00 GMT</pubDate>"
        f"<description>{escape(b)}</description></item>"
        for i, (t, b) in enumerate(zip(titles, bodies, strict=True)))
    path = tmp_path / "news.rss"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
                    f"<link>https://example.org/</link>{items}</channel></rss>", "utf-8")
    return path


def test_a_feed_item_with_nothing_to_read_gives_its_place_to_the_next(tmp_path: Path) -> None:
    from briefing.config import Config
    from briefing.pipeline import read_sources

    feed = str(_feed_with_a_gallery(tmp_path))
    # the source stage alone takes the newest two, gallery and all
    assert [a.title for a in load(feed, offline=True, max_stories=2)] == [
        "Market hall to reopen", "In pictures: the marathon"]
    # the pipeline asks for stories: the gallery's place goes to the next item
    got = read_sources([feed], Config(max_stories=2, offline=True))
    assert [a.title for a in got] == ["Market hall to reopen", "Harbour vote"]


def test_an_item_spoken_lately_still_takes_its_place(tmp_path: Path) -> None:
    # the daily window is the newest max_stories items: one spoken yesterday is not
    # replaced by an older one, only a gallery is
    from briefing.summarize.shape import has_story

    feed = str(_feed_with_a_gallery(tmp_path))
    got = load(feed, offline=True, max_stories=3, skip_link=lambda link: link.endswith("/0"),
               keep=lambda a: has_story(a.text, a.title))
    assert [a.title for a in got] == ["Harbour vote", "Valley vote"]
    got = load(feed, offline=True, max_stories=2, skip_link=lambda link: link.endswith("/0"),
               keep=lambda a: has_story(a.text, a.title))
    assert [a.title for a in got] == ["Harbour vote"]
