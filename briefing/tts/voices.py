"""Which voice says which line: the host's and the reader's, a story's own language, and checks."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing.errors import VoiceNotFoundError
from briefing.models import Line, Script, Voice

if TYPE_CHECKING:
    from briefing.config import Config
    from briefing.tts.base import Synthesizer

log = logging.getLogger(__name__)


def script_voices(config: Config) -> tuple[Voice, Voice]:
    """The host's voice and the reader's voice."""
    from briefing import tts

    # each voice names its engine: a Markdown script keeps it (`piper:en_US-joe-medium`)
    host = Voice(config.host_voice or tts.default_voice(config, "host"), config.host_rate,
                 config.host_pitch, config.hosts_engine)
    reader = Voice(config.voice or tts.default_voice(config, "reader"), config.rate,
                   config.pitch, config.engine)
    return host, reader


def voice_for(line: Line, script: Script) -> Voice:
    """The host speaks the briefing's language; a story in another language gets its own voice."""
    voice = script.host if line.role == "host" else script.reader
    base = voice.id.split("+")[0].split("/")[-1].split("-")[0].lower()
    # the briefing's own language is the reader's, whatever its voice is named (af_heart)
    if line.language and line.language not in (base, script.language) and line.role == "reader":
        return replace(voice, id=line.language)
    return voice


def first_voices(config: Config) -> list[Voice]:
    """The engines a briefing's lanes first ask for: the reader's (on each of two lanes,
    it has most of the lines), then the host's."""
    from briefing.tts.lanes import default_jobs

    host, reader = script_voices(config)
    return [reader, host, reader][: max(2, default_jobs() + 1)]


def usable(
    items: Sequence[tuple[str, Voice]], script: Script, synth: Synthesizer
) -> list[tuple[str, Voice]]:
    """`items` with every voice checked: a story's language the engine cannot speak is read
    by the reader; a voice the user chose that does not exist is an error."""
    from briefing import tts

    checked: dict[Voice, Voice] = {}
    for voice in {voice for _, voice in items}:
        try:
            tts.resolve_voice(tts.engine_for(synth, voice), voice.id)
            checked[voice] = voice
        except VoiceNotFoundError:
            if voice in (script.host, script.reader):
                raise  # the user chose it: say so
            log.warning("no %r voice for a story; the reader's voice reads it", voice.id)
            checked[voice] = script.reader
    return [(text, checked[voice]) for text, voice in items]
