"""`briefing voices --download`: every file size-, md5- and SHA-256-checked, resumable,
and installed only whole (nothing appears in the voice folder until every file passed)."""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import json
import os
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from briefing import __version__
from briefing.errors import DownloadError
from briefing.tts.library import MANIFEST, file_sha256
from briefing.tts.library.catalogue import Offer, RemoteFile

TIMEOUT_S = 30.0  # per read: a stalled connection fails instead of hanging the command
CHUNK = 1 << 16
STAGING = ".partial"  # under the voice folder: where partial files wait to be resumed

Progress = Callable[[int], None]


def _open(url: str, start: int = 0) -> http.client.HTTPResponse:
    headers = {"User-Agent": f"briefing/{__version__}"}
    if start:
        headers["Range"] = f"bytes={start}-"
    request = urllib.request.Request(url, headers=headers)
    response: http.client.HTTPResponse = urllib.request.urlopen(request, timeout=TIMEOUT_S)
    return response


def unreachable(url: str, exc: Exception, folder: Path, names: list[str]) -> DownloadError:
    reason = getattr(exc, "reason", None) or exc
    return DownloadError(
        f"could not download {url} ({reason}); with a network elsewhere, put "
        f"{', '.join(names)} from there into {folder}"
    )


def fetch_json(url: str) -> object:
    """A small JSON document (a catalogue); DownloadError on any failure."""
    try:
        with _open(url) as response:
            data = response.read()
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise DownloadError(f"could not download the voice catalogue {url} "
                            f"({getattr(exc, 'reason', None) or exc})") from None
    try:
        return json.loads(data)
    except ValueError:
        raise DownloadError(f"the voice catalogue at {url} is not JSON") from None


def fetch_file(file: RemoteFile, partial: Path, progress: Progress) -> None:
    """Download `file` into `partial` (resuming what is there), then check size, md5 and
    SHA-256. A mismatch deletes the file; an interrupted transfer keeps it to resume."""
    have = partial.stat().st_size if partial.exists() else 0
    if file.size and have > file.size:
        partial.unlink()
        have = 0
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    if have:
        with partial.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                md5.update(chunk)
                sha.update(chunk)
        progress(have)
    if not file.size or have < file.size:
        try:
            response = _open(file.url, have)
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and have:  # nothing left to send: the partial file is whole
                response = None
            else:
                raise DownloadError(f"{file.url}: HTTP {exc.code} {exc.reason}") from None
        if response is not None:
            with response:
                if have and response.status != 206:  # the server ignored the range: restart
                    progress(-have)
                    have = 0
                    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
                with partial.open("ab" if have else "wb") as out:
                    try:
                        while chunk := response.read(CHUNK):
                            out.write(chunk)
                            md5.update(chunk)
                            sha.update(chunk)
                            have += len(chunk)
                            progress(len(chunk))
                    except (OSError, http.client.HTTPException) as exc:
                        raise DownloadError(
                            f"the download of {file.url} was interrupted at {have:,} of "
                            f"{file.size:,} bytes ({exc}); run the same command to resume"
                        ) from None
    problem = ""
    if file.size and have != file.size:
        problem = f"{have:,} bytes, the catalogue says {file.size:,}"
    elif file.md5 and md5.hexdigest() != file.md5:
        problem = f"md5 {md5.hexdigest()} is not the catalogue's {file.md5}"
    elif file.sha256 and sha.hexdigest() != file.sha256:
        problem = f"SHA-256 {sha.hexdigest()[:16]}... is not the pinned {file.sha256[:16]}..."
    if problem:
        short = file.size and have < file.size
        if short:
            raise DownloadError(
                f"the download of {file.url} stopped early ({problem}); run the same command "
                "to resume"
            )
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{file.url} failed its check ({problem}): discarded it")


def _already(dest: Path, file: RemoteFile) -> bool:
    """Whether `dest` is already this very file (an earlier download, or the same model)."""
    try:
        if file.size and dest.stat().st_size != file.size:
            return False
    except OSError:
        return False
    return bool(file.sha256) and file_sha256(dest) == file.sha256


def install(offer: Offer, voices_dir: Path, progress: Progress = lambda n: None) -> Path:
    """Download `offer` into voices_dir/<folder>/ and return that folder.

    Files wait under voices_dir/.partial/ until each has passed its checks; then they are
    moved in, the model last, so the voice is listed only once it is whole.
    """
    target = voices_dir / offer.folder
    staging = voices_dir / STAGING / offer.folder
    names = [f.name for f in offer.files]
    try:
        staging.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create {staging}: {exc.strerror}") from None
    done: list[tuple[RemoteFile, Path, str]] = []
    for file in offer.files:
        dest = target / file.name
        if _already(dest, file):
            progress(file.size)
            continue
        ready = staging / file.name
        partial = staging / f"{file.name}.part"
        if not _already(ready, file):
            try:
                fetch_file(file, partial, progress)
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                raise unreachable(file.url, exc, target, names) from None
            os.replace(partial, ready)
        done.append((file, ready, file_sha256(ready)))
    target.mkdir(parents=True, exist_ok=True)
    manifest = target / MANIFEST
    try:
        record = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {"files": {}}
    # the model (the largest file) goes in last: until then the voice is incomplete
    for file, ready, sha in sorted(done, key=lambda item: item[0].size):
        record.setdefault("files", {})[file.name] = {"size": file.size, "sha256": sha,
                                                     "url": file.url, "md5": file.md5}
        from briefing.paths import atomic_write

        atomic_write(manifest, json.dumps(record, indent=1, sort_keys=True))
        os.replace(ready, target / file.name)
    with contextlib.suppress(OSError):
        shutil.rmtree(staging)
        (voices_dir / STAGING).rmdir()  # only when no other download waits there
    return target
