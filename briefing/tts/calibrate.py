"""Measured words per minute per voice, from a fixed passage, cached once per machine."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from briefing import paths
from briefing.errors import EngineError
from briefing.models import Voice
from briefing.tts.wavfile import duration_s

if TYPE_CHECKING:
    from briefing.config import Config

# Plain news-like prose (about 150 words each), written for this purpose: no numbers,
# acronyms or names an engine might spell out, so the count of words is what is heard.
PASSAGES: dict[str, str] = {
    "en": (
        "The city council met on Tuesday evening to discuss the future of the old market "
        "hall, which has stood empty for most of the past year. Several residents spoke in "
        "favour of turning the building into a public library, while local traders asked "
        "for the stalls to return as soon as possible. The mayor said that both ideas had "
        "merit, but warned that the roof would need to be repaired before anyone could use "
        "the space again. Engineers who inspected the hall last month found damage to the "
        "timber beams and the drainage, and they estimate that the work will take at least "
        "six months. A final decision is expected after the summer, once the council has "
        "received detailed plans and a clear account of the costs. In the meantime, a small "
        "weekend market will open in the square outside, so that shoppers and sellers can "
        "meet while the future of the hall is settled."
    ),
    "de": (
        "Der Stadtrat hat am Dienstagabend über die Zukunft der alten Markthalle beraten, "
        "die seit fast einem Jahr leer steht. Mehrere Anwohner sprachen sich dafür aus, in "
        "dem Gebäude eine öffentliche Bibliothek einzurichten, während die Händler forderten, "
        "dass die Stände so bald wie möglich zurückkehren. Die Bürgermeisterin sagte, beide "
        "Vorschläge hätten ihren Wert, doch zuerst müsse das Dach repariert werden, bevor "
        "jemand die Halle wieder nutzen könne. Fachleute, die das Gebäude im vergangenen "
        "Monat untersucht haben, fanden Schäden an den Holzbalken und an der Entwässerung. "
        "Sie rechnen damit, dass die Arbeiten mindestens ein halbes Jahr dauern werden. Eine "
        "endgültige Entscheidung wird nach dem Sommer erwartet, wenn der Rat genaue Pläne und "
        "eine klare Aufstellung der Kosten erhalten hat. Bis dahin öffnet am Wochenende ein "
        "kleiner Markt auf dem Platz vor der Halle, damit Kunden und Händler sich weiterhin "
        "treffen können, während über die Zukunft des Gebäudes entschieden wird."
    ),
    "fr": (
        "Le conseil municipal s'est réuni mardi soir pour discuter de l'avenir de l'ancienne "
        "halle du marché, vide depuis presque un an. Plusieurs habitants ont proposé d'y "
        "installer une bibliothèque publique, tandis que les commerçants ont demandé le retour "
        "rapide des étals. La maire a estimé que les deux idées avaient du mérite, mais elle a "
        "rappelé que le toit devait être réparé avant que quiconque puisse de nouveau utiliser "
        "le bâtiment. Les ingénieurs qui ont inspecté la halle le mois dernier ont constaté "
        "des dégâts sur les poutres en bois et sur le système d'évacuation des eaux. Selon "
        "eux, les travaux dureront au moins six mois. Une décision définitive est attendue "
        "après l'été, lorsque le conseil aura reçu des plans détaillés et un compte clair des "
        "dépenses. En attendant, un petit marché ouvrira le week-end sur la place voisine, "
        "afin que les clients et les vendeurs puissent continuer à se retrouver pendant que "
        "l'on décide du sort de la halle."
    ),
    "es": (
        "El ayuntamiento se reunió el martes por la tarde para hablar del futuro del antiguo "
        "mercado, que lleva casi un año vacío. Varios vecinos pidieron convertir el edificio "
        "en una biblioteca pública, mientras que los comerciantes reclamaron que los puestos "
        "vuelvan cuanto antes. La alcaldesa dijo que las dos ideas tenían valor, pero advirtió "
        "que primero habrá que reparar el tejado antes de que nadie pueda volver a usar el "
        "espacio. Los ingenieros que revisaron el mercado el mes pasado encontraron daños en "
        "las vigas de madera y en el desagüe, y calculan que las obras durarán al menos seis "
        "meses. Se espera una decisión definitiva después del verano, cuando el ayuntamiento "
        "haya recibido planos detallados y una cuenta clara de los gastos. Mientras tanto, un "
        "pequeño mercado abrirá los fines de semana en la plaza de al lado, para que clientes "
        "y vendedores puedan seguir encontrándose mientras se decide qué pasará con el edificio."
    ),
}

CACHE_FILE = "wpm.json"

SynthFn = Callable[[str, Path, Voice], None]


def language_of(voice_id: str) -> str:
    """The ISO 639-1 part of a voice id: `gmw/en-US+f3` -> `en`, `de_DE-thorsten-low` -> `de`."""
    base = voice_id.split("+", 1)[0].rsplit("/", 1)[-1]
    return base.replace("_", "-").split("-", 1)[0].lower()


def passage_for(voice_id: str) -> str:
    return PASSAGES.get(language_of(voice_id), PASSAGES["en"])


def passage(language: str, words: int | None = None) -> str:
    """The passage in `language` (English when there is none); with `words`, its first
    whole sentences up to about that many words, for an engine too slow to read it all."""
    text = PASSAGES.get(language, PASSAGES["en"])
    if not words:
        return text
    kept: list[str] = []
    for sentence in text.replace(". ", ".\n").split("\n"):
        kept.append(sentence)
        if sum(len(s.split()) for s in kept) >= words:
            break
    return " ".join(kept)


def _cache_path() -> Path:
    return paths.cache_dir() / "tts" / CACHE_FILE


def _read_cache() -> dict[str, float]:
    # a missing or damaged cache is only a re-measurement away
    return {k: float(v) for k, v in paths.read_json_object(_cache_path()).items()}


def _write_cache(key: str, wpm: float) -> None:
    path = _cache_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = _read_cache()
    data[key] = round(wpm, 2)
    # atomic: parallel workers never read half a file
    paths.atomic_write(path, json.dumps(data, indent=1, sort_keys=True))


def cache_key(engine: str, version: str, voice: Voice) -> str:
    return f"{engine}|{version}|{voice.id}|{voice.rate}|{voice.pitch}"


def cached_wpm(engine: str, version: str, voice: Voice) -> float | None:
    """The measured rate if it was measured already, else None (nothing is spoken)."""
    return _read_cache().get(cache_key(engine, version, voice)) or None


def measured_wpm(engine: str, version: str, voice: Voice, synthesize: SynthFn,
                 text: str | None = None) -> float:
    """Words per minute `voice` really speaks at: measured once (on `text`, by default the
    passage in the voice's language), then read from the cache."""
    key = cache_key(engine, version, voice)
    cached = _read_cache().get(key)
    if cached:
        return cached
    text = text or passage_for(voice.id)
    with tempfile.TemporaryDirectory(prefix="briefing-wpm-") as tmp:
        wav = Path(tmp) / "calibration.wav"
        synthesize(text, wav, voice)
        seconds = duration_s(wav)
    if seconds <= 0:
        raise EngineError(
            f"{engine} produced no audio for voice {voice.id!r} while measuring its speed; "
            "run `briefing doctor`"
        )
    wpm = 60.0 * len(text.split()) / seconds
    _write_cache(key, wpm)
    return wpm


def rate_meter(engine: str | Config) -> Callable[[Voice], float]:
    """Characters per minute for a voice on `engine` (or on the engines a config names),
    measured once per machine.

    The engine starts only when a rate is not cached yet, and stops right after.
    """
    from briefing import tts

    known: dict[Voice, float] = {}

    checked = False

    def rate(voice: Voice) -> float:
        nonlocal checked
        if voice not in known:
            synth = (tts.get_synthesizer(engine) if isinstance(engine, str)
                     else tts.for_config(engine))
            try:
                if not checked and not isinstance(engine, str):
                    # a voice that is not installed fails now, not after measuring the
                    # other (a Kokoro measurement costs ~15 CPU-s)
                    from briefing.tts.voices import script_voices

                    for each in script_voices(engine):
                        tts.resolve_voice(tts.engine_for(synth, each), each.id)
                    checked = True
                known[voice] = tts.chars_per_minute(synth, voice)
            finally:
                synth.close()
        return known[voice]

    return rate
