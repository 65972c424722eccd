"""The bad-input and fault matrix, run against the real CLI in a subprocess.

Every failing case must give one "Error: ..." line that names the thing and says what to
do, the documented exit code, no traceback, and leave the output dir (an earlier episode,
feed.xml and the archive from a first real run) exactly as it was: names, sizes, mtimes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.bad_input_cases import (
    MARKER,
    PROSE,
    ROOT,
    RUN_MARK,
    cli_env,
    closed_port,
    entity_bomb,
    error_line,
    install_plugins,
    limit_file_size,
    limit_memory,
    local_server,
    pdf_bytes,
    png_bytes,
    rss,
    run_cli,
    snapshot,
    start_cli,
    stray_processes,
    wait_for,
    zip_bytes,
)

DAY = "2024-01-03"  # the day every run here makes; the template holds 2024-01-02
ARTICLE = (
    "Harbour Plan Approved\n\n"
    f"{MARKER} harbour officials approved a plan on Monday to rebuild the old pier. "
    "The work will cost about four million dollars and take two years. "
    "Fishermen said the new pier would let larger boats land their catch. "
    "The council will hold a public meeting next month to explain the timetable.\n"
)


@pytest.fixture(scope="module")
def plugins(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return install_plugins(tmp_path_factory.mktemp("plugins"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, plugins: Path) -> Path:
    """An output dir after one real daily run: an episode, feed.xml, index.html, latest.mp3."""
    root = tmp_path_factory.mktemp("template")
    (root / "story.txt").write_text(ARTICLE.replace(MARKER + " ", ""), encoding="utf-8")
    (root / "b.toml").write_text(
        '[briefing]\nminutes = 0.3\noutput_dir = "out"\nretention_days = 0\n'
        f'[[sources]]\nlocation = "{root / "story.txt"}"\nmax_stories = 1\n'
    )
    proc = run_cli(["daily", "-c", "b.toml", "--date", "2024-01-02"], cwd=root,
                   env=cli_env(root / "home", plugins), timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert (root / "out" / "feed.xml").is_file()
    assert list((root / "out" / "2024-01-02").glob("*.mp3"))
    return root / "out"


@dataclass
class Workspace:
    """tmp_path with a copy of the template output dir, and the CLI's environment."""

    root: Path
    plugins: Path
    mark: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def out(self) -> Path:
        return self.root / "out"

    def env(self, **extra: str) -> dict[str, str]:
        return cli_env(self.root / "home", self.plugins, **{RUN_MARK: self.mark, **extra})

    def run(self, *args: str, env: dict[str, str] | None = None, **kw: Any
            ) -> subprocess.CompletedProcess[str]:
        return run_cli(list(args), cwd=self.root, env=env or self.env(), **kw)

    def make(self, *sources: str, extra: tuple[str, ...] = (), **kw: Any
             ) -> subprocess.CompletedProcess[str]:
        return self.run("make", *sources, "--output-dir", "out", "--date", DAY,
                        "--minutes", "0.3", *extra, **kw)

    def write(self, name: str, data: bytes | str) -> str:
        path = self.root / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return name


@pytest.fixture
def ws(tmp_path: Path, template: Path, plugins: Path) -> Any:
    shutil.copytree(template, tmp_path / "out", symlinks=True)
    space = Workspace(tmp_path, plugins)
    before = snapshot(space.out)
    yield space
    assert snapshot(space.out) == before, "the output dir changed"
    assert not stray_processes(space.mark), "a worker outlived the run"


def fails(proc: subprocess.CompletedProcess[str], *needles: str, code: int = 1,
          allow_log: bool = False) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    line = error_line(proc, allow_log=allow_log)
    for needle in needles:
        assert re.search(needle, line, re.I), (needle, line)
    return line


# --- input files -------------------------------------------------------------------------

LINKS = ("https://example.org/a\nhttps://example.org/b\nMarket returns to the square\n"
         "www.example.org/c\nBridge closed for repairs\n")
NO_ARTICLE = ("<!DOCTYPE html><html><head><title>App</title><script>var x = 1;</script></head>"
              "<body><div id='root'></div><noscript>Enable JavaScript.</noscript></body></html>")
COOKIE_WALL = (
    "<html><head><title>Before you continue</title></head><body><div class='consent'>"
    "<h1>We value your privacy</h1><p>We and our partners use cookies and similar "
    "technologies to store and access information on your device, for personalised ads "
    "and content, ad and content measurement, and audience insights. You can accept all "
    "cookies or manage your preferences at any time in the privacy settings.</p>"
    "<button>Accept all</button><button>Manage options</button></div></body></html>")
ZERO_ITEMS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Nothing</title>'
              "<link>https://example.org/</link><description>none</description></channel></rss>")

FILE_CASES: list[tuple[str, str, Callable[[], bytes | str], tuple[str, ...]]] = [
    ("empty", "empty.txt", lambda: b"", ("empty.txt", "empty")),
    ("whitespace", "blank.txt", lambda: "  \n\t\n   \n", ("blank.txt", "empty|whitespace")),
    ("png", "picture.png", png_bytes, ("picture.png", "PNG", "give a")),
    ("pdf", "paper.pdf", pdf_bytes, ("paper.pdf", "PDF", "give a")),
    ("zip", "bundle.zip", zip_bytes, ("bundle.zip", "zip", "give a")),
    ("png-named-txt", "sneaky.txt", png_bytes, ("sneaky.txt", "PNG")),
    ("links-only", "links.txt", lambda: LINKS, ("links.txt", "no sentences")),
    ("html-no-article", "shell.html", lambda: NO_ARTICLE, ("shell.html",)),
    ("cookie-wall", "wall.html", lambda: COOKIE_WALL, ("wall.html", "cookie")),
    ("feed-zero-items", "empty.rss", lambda: ZERO_ITEMS, ("empty.rss", "no items")),
    ("malformed-xml", "broken.xml",
     lambda: '<?xml version="1.0"?><rss version="2.0"><channel><title>Bro</ken',
     ("broken.xml", "feed|XML")),
    ("entity-bomb", "bomb.rss", entity_bomb, ("bomb.rss", "entities")),
]


@pytest.mark.parametrize("name,data", [(c[1], c[2]) for c in FILE_CASES],
                         ids=[c[0] for c in FILE_CASES])
def test_bad_file(ws: Workspace, name: str, data: Callable[[], bytes | str]) -> None:
    needles = next(c[3] for c in FILE_CASES if c[1] == name)
    ws.write(name, data())
    fails(ws.make(name, timeout=30), *needles)


def test_missing_file(ws: Workspace) -> None:
    fails(ws.make("nowhere.txt"), "nowhere.txt", "no such file", "check the path")


def test_directory(ws: Workspace) -> None:
    (ws.root / "articles").mkdir()
    fails(ws.make("articles"), "articles", "directory")


def test_one_bad_source_among_good_ones_is_skipped_unless_strict(ws: Workspace) -> None:
    ws.write("good.txt", ARTICLE)
    fails(ws.make("good.txt", "nowhere.txt", extra=("--strict",)), "nowhere.txt",
          allow_log=True)  # a make of several sources logs a line per stage
    proc = ws.make("good.txt", "nowhere.txt", timeout=120)
    assert proc.returncode == 0, proc.stderr
    warnings = [ln for ln in proc.stderr.splitlines() if ln.startswith("WARNING:")]
    assert warnings == ["WARNING: skipping a source: nowhere.txt: no such file: check the path"]
    assert "Traceback" not in proc.stderr
    assert_safe_new_episode(ws, proc)
    _forget_new_day(ws)


def test_50_mb_file_is_refused_quickly(ws: Workspace) -> None:
    with (ws.root / "dump.txt").open("w") as fh:
        for _ in range(50):
            fh.write(PROSE * (1024 * 1024 // len(PROSE) + 1))
    # RLIMIT_AS would also catch a read of the whole file; the refusal comes from stat().
    fails(ws.make("dump.txt", timeout=30), "dump.txt", "MB", "limit")


def test_50_mb_on_stdin_is_refused(ws: Workspace) -> None:
    fails(ws.make("-", stdin=b"word " * (10 * 1024 * 1024), timeout=30),
          "standard input", "MB")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml",
                                 "javascript:alert(1)"])
def test_refused_schemes(ws: Workspace, url: str) -> None:
    fails(ws.make(url), re.escape(url.split(":")[0]), "refused", "http")


# --- encodings: these must succeed --------------------------------------------------------

ENCODED = ("Café society met on Friday in the old town square. "
           "The naïve plan, said Zoë Müller, cost 5 € and a smile — “worth it”. "
           "Señor García agreed, and the crowd went home happy.\n")


@pytest.mark.parametrize("encoding,prefix,text", [
    ("latin-1", b"", ENCODED.replace("€", "euros").replace("—", "-").replace("“", '"')
     .replace("”", '"')),
    ("cp1252", b"", ENCODED),
    ("utf-16-le", b"\xff\xfe", ENCODED),
])
def test_encodings_are_read(ws: Workspace, encoding: str, prefix: bytes, text: str) -> None:
    ws.write("story.txt", prefix + text.encode(encoding))
    proc = ws.run("extract", "story.txt")
    assert proc.returncode == 0, proc.stderr
    for word in ("Café", "naïve", "Zoë Müller", "Señor García"):
        assert word in proc.stdout
    if encoding != "latin-1":
        assert "5 €" in proc.stdout and "“worth it”" in proc.stdout


# --- URLs and feeds from a local server ---------------------------------------------------

FETCH_TIMEOUT = "2"  # seconds; the /slow page answers after 30


@pytest.fixture
def server() -> Any:
    article = ("<html><head><title>Good story</title></head><body><article><h1>Good story</h1>"
               + "".join(f"<p>{s.strip()}.</p>" for s in ARTICLE.split(". ")[1:])
               + "</article></body></html>").encode()
    pages = {"/article.html": ("text/html; charset=utf-8", article)}
    with local_server(pages) as base:
        yield base


@pytest.mark.parametrize("path,needles", [
    ("/404", ("HTTP 404",)),
    ("/slow", ("timed out",)),
    ("/drip", ("timed out",)),
    ("/loop", ("redirect",)),
    ("/huge", ("MB cap",)),
    ("/huge-declared", ("MB cap",)),
    ("/drip-headers", ("timed out after 2 s",)),
    ("/bad-status", ("malformed HTTP response", "bad status line")),
    ("/bad-chunks", ("malformed HTTP response", "chunked")),
    ("/many-headers", ("malformed HTTP response", "more than 100 headers")),
])
def test_bad_url(ws: Workspace, server: str, path: str, needles: tuple[str, ...]) -> None:
    url = server + path
    proc = ws.make(url, env=ws.env(BRIEFING_FETCH_TIMEOUT=FETCH_TIMEOUT), timeout=60)
    fails(proc, re.escape(url), *needles)


def test_connection_refused(ws: Workspace) -> None:
    url = f"http://127.0.0.1:{closed_port()}/story"
    fails(ws.make(url), re.escape(url), "refused")


# The local server is private: these feeds' links are allowed to reach it on purpose.
LOCAL_LINKS = {"BRIEFING_FETCH_TIMEOUT": FETCH_TIMEOUT, "BRIEFING_ALLOW_PRIVATE_FEED_LINKS": "1"}


def test_feed_items_with_dead_links_use_their_own_text(ws: Workspace, server: str) -> None:
    dead = [f"http://127.0.0.1:{closed_port()}/x", f"{server}/404", f"{server}/slow",
            f"{server}/loop", f"{server}/huge", f"{server}/drip-headers", f"{server}/bad-status",
            f"{server}/bad-chunks", f"{server}/many-headers"]
    items = [(f"Story {i}", link, f"Story number {i} has its own text. It was read in the feed.")
             for i, link in enumerate(dead)]
    ws.write("news.rss", rss([("Good story", f"{server}/article.html", ""), *items]))
    proc = ws.run("extract", "-n", "20", "news.rss", env=ws.env(**LOCAL_LINKS), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Good story" in proc.stdout and "pier" in proc.stdout  # fetched from the server
    for i in range(len(dead)):
        assert f"Story number {i} has its own text." in proc.stdout


def test_feed_items_with_nothing_left_fail_clearly(ws: Workspace, server: str) -> None:
    items = [("", f"{server}/{path}", "") for path in ("404", "loop", "bad-chunks")]
    ws.write("news.rss", rss(items))
    fails(ws.make("news.rss", env=ws.env(**LOCAL_LINKS), timeout=60),
          "news.rss", "no feed item", allow_log=True)


def test_a_feed_link_to_this_machine_is_refused_with_one_warning(ws: Workspace, server: str
                                                                ) -> None:
    ws.write("news.rss", rss([("Inside story", f"{server}/article.html",
                               "The feed's own words are read instead of the page.")]))
    proc = ws.run("extract", "news.rss", env=ws.env(BRIEFING_FETCH_TIMEOUT=FETCH_TIMEOUT))
    assert proc.returncode == 0, proc.stderr
    assert "The feed's own words are read instead of the page." in proc.stdout
    assert "pier" not in proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("WARNING: "), proc.stderr
    assert f"{server}/article.html" in lines[0] and "loopback" in lines[0]
    assert "allow_private_feed_links" in lines[0]
    allowed = ws.run("extract", "news.rss", env=ws.env(**LOCAL_LINKS))
    assert allowed.returncode == 0 and "pier" in allowed.stdout, allowed.stderr
    ws.write("c.toml", "[briefing]\nallow_private_feed_links = true\n")
    configured = ws.run("extract", "-c", "c.toml", "news.rss")
    assert configured.returncode == 0 and "pier" in configured.stdout, configured.stderr


# --- titles that would make bad file names -------------------------------------------------

@pytest.mark.parametrize("title", [
    "../../../etc/passwd", "a/b\\c/d", "x" * 300, "🎉🎉 Party time 🎉", "🎉🎉🎉",
])
def test_titles_make_safe_file_names(ws: Workspace, title: str) -> None:
    ws.write("story.md", f"# {title}\n\n{ARTICLE.split(chr(10), 2)[2]}")
    proc = ws.make("story.md", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_safe_new_episode(ws, proc)
    _forget_new_day(ws)


def test_nul_in_show_title(ws: Workspace) -> None:
    # TOML can carry a NUL where argv and text files cannot: as the show name (two stories)
    ws.write("c.toml", '[briefing]\ntitle = "../a\\u0000b/../.."\n')
    ws.write("one.txt", ARTICLE)
    ws.write("two.txt", "Second Story\n\n" + PROSE)
    proc = ws.make("one.txt", "two.txt", extra=("-c", "c.toml"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_safe_new_episode(ws, proc)
    _forget_new_day(ws)


def assert_safe_new_episode(ws: Workspace, proc: subprocess.CompletedProcess[str]) -> None:
    mp3 = Path(proc.stdout.strip())
    assert mp3.resolve().parent == (ws.out / DAY).resolve()
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}\.mp3", mp3.name), mp3.name
    assert mp3.is_file()


def _forget_new_day(ws: Workspace) -> None:
    shutil.rmtree(ws.out / DAY)  # the fixture compares the rest of the dir with before


# --- environment ---------------------------------------------------------------------------

def test_espeak_library_path_wrong(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", env=ws.env(BRIEFING_ESPEAK_LIBRARY="/nonexistent/libespeak-ng.so")),
          "BRIEFING_ESPEAK_LIBRARY", "/nonexistent", "unset")


def test_espeak_missing(ws: Workspace) -> None:
    # No system library on this machine, and the espeakng-loader wheel hidden.
    hide = ws.root / "hide"
    (hide / "espeakng_loader").mkdir(parents=True)
    (hide / "espeakng_loader" / "__init__.py").write_text(
        "raise ImportError('hidden by the test')\n")
    env = ws.env(BRIEFING_ESPEAK_BUNDLED="1")
    env["PYTHONPATH"] = f"{hide}{os.pathsep}{env['PYTHONPATH']}"
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", env=env), "espeak-ng", "install")


def test_ffmpeg_path_wrong(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", env=ws.env(BRIEFING_FFMPEG="/nonexistent/ffmpeg")),
          "BRIEFING_FFMPEG", "/nonexistent", "unset")


def test_ffmpeg_missing(ws: Workspace) -> None:
    # No ffmpeg on PATH, and imageio-ffmpeg's binary gone (its own RuntimeError).
    hide = ws.root / "hide"
    (hide / "imageio_ffmpeg").mkdir(parents=True)
    (hide / "imageio_ffmpeg" / "__init__.py").write_text(
        "def get_ffmpeg_exe():\n    raise RuntimeError('No ffmpeg exe could be found.')\n")
    env = ws.env(PATH=os.path.dirname(os.__file__) + "/no-bin")
    env["PYTHONPATH"] = f"{hide}{os.pathsep}{env['PYTHONPATH']}"
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", env=env), "ffmpeg not found", "install")


def test_no_voices(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", env=ws.env(BRIEFING_SYNTHESIZER="no-voices")),
          "no voices", "espeak")


def test_voice_that_does_not_exist(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", extra=("--voice", "klingon-x")), "klingon-x",
                 "some that exist", "briefing voices")


def test_unknown_engine(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", env=ws.env(BRIEFING_SYNTHESIZER="nope")), "nope", "choose one of")


def test_output_dir_under_a_file(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    ws.write("afile", "x")
    proc = ws.run("make", "story.txt", "--output-dir", "afile/out", "--date", DAY,
                  "--minutes", "0.3")
    fails(proc, "afile", "cannot write")
    assert (ws.root / "afile").read_text() == "x"


def test_output_dir_read_only(ws: Workspace) -> None:
    # root ignores permission bits; the immutable attribute stops it too
    if subprocess.run(["chattr", "+i", str(ws.out)], capture_output=True).returncode:
        pytest.skip("chattr +i is not supported here")
    try:
        ws.write("story.txt", ARTICLE)
        fails(ws.make("story.txt"), "out", "cannot write")
    finally:
        subprocess.run(["chattr", "-i", str(ws.out)], check=True)


def test_disk_full(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    proc = ws.make("story.txt", preexec_fn=limit_file_size(256 * 1024), timeout=120)
    fails(proc, "too large|no space", "disk space", allow_log=True)
    # a full disk stays full: said at once, not retried on fresh engines
    assert "retrying" not in proc.stderr, proc.stderr
    assert not list(ws.out.rglob(".briefing-tmp-*"))


def test_disk_full_on_a_small_tmpfs(ws: Workspace, template: Path) -> None:
    small = ws.root / "small"
    small.mkdir()
    size_kb = sum(f.stat().st_size for f in template.rglob("*") if f.is_file()) // 1024 + 200
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                              str(small)], capture_output=True)
    if mounted.returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        shutil.copytree(template, small / "out", symlinks=True)
        before = snapshot(small / "out")
        ws.write("story.txt", ARTICLE)
        proc = ws.run("make", "story.txt", "--output-dir", "small/out", "--date", DAY,
                      "--minutes", "0.3", timeout=120)
        fails(proc, "no space left", "free some disk space", allow_log=True)
        assert snapshot(small / "out") == before
    finally:
        subprocess.run(["umount", str(small)], check=True)


def test_config_syntax_error(ws: Workspace) -> None:
    ws.write("bad.toml", '[briefing]\ntitle = "Morning"\nminutes = = 3\n')
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", extra=("-c", "bad.toml")), "bad.toml", "line 3")


def test_config_wrong_type(ws: Workspace) -> None:
    ws.write("bad.toml", '[briefing]\nminutes = "three"\n')
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", extra=("-c", "bad.toml")), "bad.toml", "minutes", "three")


def test_config_unknown_key(ws: Workspace) -> None:
    ws.write("bad.toml", '[briefing]\nminuets = 3\n')
    ws.write("story.txt", ARTICLE)
    fails(ws.make("story.txt", extra=("-c", "bad.toml")), "minuets", "known keys")


def test_render_an_endless_file(ws: Workspace) -> None:
    # /dev/zero never ends: the script is read up to the size cap every source has. The
    # memory limit turns an unbounded read into a quick failure instead of a swapping machine.
    proc = ws.run("render", "/dev/zero", "--output-dir", "out",
                  preexec_fn=limit_memory(2 * 1024**3))
    fails(proc, "/dev/zero", "5 MB limit")


def test_render_a_binary_script(ws: Workspace) -> None:
    ws.write("episode.md", png_bytes())
    fails(ws.run("render", "episode.md", "--output-dir", "out"), "episode.md", "UTF-8")


def test_debug_shows_the_traceback(ws: Workspace) -> None:
    proc = ws.run("--debug", "make", "nowhere.txt", "--output-dir", "out")
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "SourceError" in proc.stderr
    plain = ws.run("make", "nowhere.txt", "--output-dir", "out")
    fails(plain, "nowhere.txt")


# --- faults during synthesis -------------------------------------------------------------

def test_hung_segment_falls_back_to_espeak(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    proc = ws.make("story.txt", env=ws.env(BRIEFING_SYNTHESIZER="pyttsx3-hang"), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert re.search(r"WARNING: pyttsx3 failed on \S+ after 2 attempts .*espeak-ng", proc.stderr)
    assert_safe_new_episode(ws, proc)
    _forget_new_day(ws)


def test_hung_segment_and_broken_fallback_fail_clearly(ws: Workspace) -> None:
    ws.write("story.txt", ARTICLE)
    proc = ws.make("story.txt", env=ws.env(BRIEFING_SYNTHESIZER="pyttsx3-hang-broken-fallback"),
                   timeout=120)
    fails(proc, "speech failed", "pyttsx3", "espeak-ng", "briefing doctor", allow_log=True)


# --- signals -------------------------------------------------------------------------------

def _start_stalled_run(ws: Workspace) -> subprocess.Popen[str]:
    ws.write("story.txt", ARTICLE)
    proc = start_cli(["make", "story.txt", "--output-dir", "out", "--date", DAY,
                      "--minutes", "0.3"],
                     cwd=ws.root, env=ws.env(BRIEFING_SYNTHESIZER="pyttsx3-stall",
                                             PYTHONFAULTHANDLER="1"))
    # mid-run: staging exists and the stalled segment's worker is waiting
    wait_for(lambda: any((ws.out / DAY).glob(".briefing-tmp-*/segments/*.wav"))
             or proc.poll() is not None, 90, "the run to start speaking")
    assert proc.poll() is None, proc.communicate()
    return proc


@pytest.mark.parametrize("signum,code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_run_cleans_up(ws: Workspace, signum: int, code: int) -> None:
    proc = _start_stalled_run(ws)
    proc.send_signal(signum)
    try:
        _, stderr = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack
        raise AssertionError("no exit 30 s after the signal:\n" + proc.communicate()[1]) from None
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    wait_for(lambda: not stray_processes(ws.mark), 10, "the workers to exit")


def test_sigkill_mid_run_then_the_next_run_cleans_up(ws: Workspace) -> None:
    proc = _start_stalled_run(ws)
    proc.kill()
    proc.wait(timeout=10)
    wait_for(lambda: not stray_processes(ws.mark), 10, "orphaned workers to exit")
    assert list((ws.out / DAY).glob(".briefing-tmp-*")), "the kill should leave its staging"
    again = ws.make("story.txt", timeout=120)
    assert again.returncode == 0, again.stderr
    assert not list(ws.out.rglob(".briefing-tmp-*"))
    assert_safe_new_episode(ws, again)
    _forget_new_day(ws)


def test_a_second_make_into_the_same_folder_leaves_a_running_ones_staging(ws: Workspace) -> None:
    """Issue 17 #3: the second run used to sweep the first's live staging folder."""
    proc = _start_stalled_run(ws)
    try:
        live = list((ws.out / DAY).glob(".briefing-tmp-*"))
        assert len(live) == 1
        again = ws.make("story.txt", timeout=120)
        assert again.returncode == 0, again.stderr
        assert live[0].is_dir() and proc.poll() is None, "the second run swept the first's"
        assert_safe_new_episode(ws, again)
    finally:
        # SIGKILL, not SIGTERM: how a stopped run unwinds is test_signal_mid_run_cleans_up's
        proc.kill()
        proc.communicate(timeout=30)
    wait_for(lambda: not stray_processes(ws.mark), 10, "orphaned workers to exit")
    _forget_new_day(ws)


# --- security --------------------------------------------------------------------------------

def test_no_shell_anywhere() -> None:
    pattern = re.compile(r"shell\s*=\s*True|os\.system\(|os\.popen\(|subprocess\.getoutput")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "briefing").rglob("*.py")
                 if pattern.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
