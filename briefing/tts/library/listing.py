"""What `briefing voices` lists: every engine's voices, installed or downloadable, and
what `--download NAME` installs."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing.errors import BriefingError, DownloadError
from briefing.tts import library
from briefing.tts.library import catalogue

if TYPE_CHECKING:
    from briefing.config import Config

ESPEAK_LICENCE = "GPL-3.0-or-later (espeak-ng)"


@dataclass(frozen=True)
class Row:
    """One voice as listed: what to pass to --voice, and what a user should know."""

    id: str
    engine: str
    language: str
    quality: str
    sample_rate: int  # 0 when only the model's config says (a voice not yet downloaded)
    status: str  # installed | downloadable | built in
    licence: str
    source: str = ""  # where an installed voice's files are
    size_mb: float = 0.0  # what --download fetches
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def espeak_rows() -> list[Row]:
    """espeak-ng's voices (pyttsx3 speaks the same ones): built in, nothing to download."""
    from briefing.tts.backends.espeak import EspeakSynthesizer

    synth = EspeakSynthesizer()
    try:
        voices = synth.voices()
    finally:
        synth.close()
    return [Row(v.id.rsplit("/", 1)[-1], "espeak-ng", v.languages[0] if v.languages else "",
                "formant", 22050, "built in", ESPEAK_LICENCE, note=v.name) for v in voices]


def neural_rows(config: Config) -> list[Row]:
    """Installed Piper and Kokoro voices, then what their catalogues offer besides."""
    folder = library.voices_dir(config.voices_dir)
    rows = [Row(v.id, v.engine, v.language, v.quality, v.sample_rate, "installed", v.licence,
                v.source, note=v.note) for v in library.installed(None, folder)]
    have = {(r.engine, r.id) for r in rows}
    offers = [*catalogue.piper_offers(catalogue.piper_catalogue(), config.piper_catalogue),
              *catalogue.kokoro_offers(config.kokoro_files)]
    for offer in offers:
        if (offer.engine, offer.id) not in have:
            rows.append(Row(offer.id, offer.engine, offer.language, offer.quality, 0,
                            "downloadable", offer.licence, size_mb=round(offer.size / 1e6, 1),
                            note=offer.note))
    return rows


def rows(config: Config, engine: str | None = None, language: str = "") -> list[Row]:
    """Every engine's voices (or `engine`'s), optionally in one language."""
    out: list[Row] = []
    if engine in (None, "pyttsx3", "espeak-ng"):
        # doctor says why libespeak-ng is missing; the neural voices still list
        with contextlib.suppress(BriefingError):
            out += espeak_rows()
    if engine not in ("pyttsx3", "espeak-ng"):
        out += [r for r in neural_rows(config) if engine is None or r.engine == engine]
    if language:
        out = [r for r in out if library.language_matches(language, r.language)]
    return out


def offer_for(name: str, config: Config, engine: str | None = None) -> catalogue.Offer:
    """What `--download NAME` installs: Kokoro's voices are known here; Piper's come from
    its catalogue, fetched now (and kept for `briefing voices` to list)."""
    if engine == "kokoro" or (engine is None and name in catalogue.KOKORO_VOICES):
        match = [o for o in catalogue.kokoro_offers(config.kokoro_files) if o.id == name]
        if not match:
            raise DownloadError(f"Kokoro has no voice {name!r}; see `briefing voices --engine "
                                "kokoro`")
        return match[0]
    if engine not in (None, "piper"):
        raise DownloadError(f"{engine} voices are not downloaded: only piper and kokoro ones are")
    url = config.piper_catalogue or catalogue.PIPER_CATALOGUE
    folder = library.voices_dir(config.voices_dir) / name
    try:
        fetched = download_catalogue(url)
    except DownloadError as exc:
        where = catalogue.piper_files_for(name, config.piper_catalogue)
        raise DownloadError(
            f"{exc}; with a network elsewhere, put {name}.onnx, {name}.onnx.json and "
            f"MODEL_CARD from {where} into {folder}"
        ) from None
    for offer in catalogue.piper_offers(fetched, url):
        if offer.id == name or name in (fetched.get(offer.id) or {}).get("aliases", []):
            return offer
    raise DownloadError(f"Piper's catalogue has no voice {name!r}; see `briefing voices "
                        "--engine piper` (names look like en_US-joe-medium)")


def download_catalogue(url: str) -> dict[str, Any]:
    from briefing.paths import keep_in_cache
    from briefing.tts.library.download import fetch_json

    data = fetch_json(url)
    if not isinstance(data, dict):
        raise DownloadError(f"the voice catalogue at {url} is not a JSON object")
    import json

    keep_in_cache(catalogue.cached_catalogue_path(), json.dumps(data))
    return data


def download(name: str, config: Config, engine: str | None = None,
             progress: Callable[[catalogue.Offer], Callable[[int], None]] | None = None) -> Path:
    """Install voice `name` into the voice folder; return the folder it is in.

    `progress(offer)` gives the callback that hears each chunk's size in bytes.
    """
    from briefing.tts.library.download import install

    offer = offer_for(name, config, engine)
    tick = progress(offer) if progress is not None else (lambda n: None)
    return install(offer, library.voices_dir(config.voices_dir), tick)
