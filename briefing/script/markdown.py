"""The script as editable Markdown and back: `briefing script --format md`, `briefing render`."""

from __future__ import annotations

import re
from dataclasses import replace

from briefing.errors import ScriptFileError
from briefing.models import Line, Script, Section, Voice
from briefing.script.write import Pauses

ROLE_MARK = {"host": "HOST", "reader": "READER"}
_VOICE = re.compile(r"^(?P<id>\S+?),?\s+rate\s+(?P<rate>\d+),?\s+pitch\s+(?P<pitch>\d+)$")


def _voice(v: Voice) -> str:
    # an engine other than the run's is written before the id: `kokoro:af_heart`
    return f"{v.engine + ':' if v.engine else ''}{v.id}, rate {v.rate}, pitch {v.pitch}"


def to_markdown(script: Script, pauses: Pauses | None = None) -> str:
    """Front matter, then a `##` section per chapter; a blank line between lines is a paragraph."""
    pauses = pauses or Pauses()
    out = [
        "---",
        f"show: {script.show}",
        f"title: {script.title}",
        f"date: {script.date}",
        f"language: {script.language}",
        f"host: {_voice(script.host)}",
        f"reader: {_voice(script.reader)}",
        "---",
        "",
        "<!-- Edit freely: each line starts with HOST: or READER:. A blank line between two",
        "     lines is a paragraph pause; `## Title` starts a chapter. Then: briefing render -->",
    ]
    for section in script.sections:
        out += ["", f"## {section.title}"]
        if section.url or section.source:
            out.append(f"Source: {section.url or section.source}")
        langs = {ln.language for ln in section.lines if ln.role == "reader"}
        if langs and langs != {script.language}:
            out.append(f"Language: {sorted(langs)[0]}")
        out.append("")
        for i, line in enumerate(section.lines):
            out.append(f"{ROLE_MARK[line.role]}: {line.text}")
            last = i == len(section.lines) - 1
            if not last and line.pause_after_ms >= pauses.paragraph_ms:
                out.append("")
    return "\n".join(out) + "\n"


def from_markdown(text: str, pauses: Pauses | None = None) -> Script:
    """Read a Markdown script back; pauses come from the layout, as `to_markdown` wrote them."""
    pauses = pauses or Pauses()
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in (ln.strip() for ln in lines[1:]):
        raise ScriptFileError("the script has no front matter: it must start with a --- block")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    meta = {}
    for raw in lines[1:end]:
        key, sep, value = raw.partition(":")
        if sep:
            meta[key.strip()] = value.strip()
    for key in ("show", "title", "date", "language"):
        if key not in meta:
            raise ScriptFileError(f"the script's front matter has no {key}: line")
    host, reader = _parse_voice(meta.get("host", "")), _parse_voice(meta.get("reader", ""))
    body = re.sub(r"<!--.*?-->", "", "\n".join(lines[end + 1:]), flags=re.S)
    sections: list[Section] = []
    chunks = re.split(r"^## +(.+)$", body, flags=re.M)
    titles_and_bodies = list(zip(chunks[1::2], chunks[2::2], strict=True))
    for index, (title, chunk) in enumerate(titles_and_bodies):
        kind_host = "intro" if index == 0 else "outro" if index == len(titles_and_bodies) - 1 \
            else "headline"
        source, language = "", meta["language"]
        said: list[Line] = []
        gap = False
        for raw in chunk.split("\n"):
            line = raw.strip()
            if not line:
                gap = bool(said)
                continue
            if line.startswith("Source:") and not said:
                source = line.partition(":")[2].strip()
                continue
            if line.startswith("Language:") and not said:
                language = line.partition(":")[2].strip()
                continue
            mark, sep, words = line.partition(":")
            role = {"HOST": "host", "READER": "reader"}.get(mark.strip().upper())
            if not sep or role is None:
                if said:  # a continuation of the line above
                    said[-1] = replace(said[-1], text=f"{said[-1].text} {line}")
                    continue
                raise ScriptFileError(
                    f"in section {title!r}: a line must start with HOST: or READER:"
                )
            if said and gap:
                said[-1] = replace(said[-1], pause_after_ms=pauses.paragraph_ms)
            gap = False
            said.append(Line(
                text=words.strip(), role=role,  # type: ignore[arg-type]
                kind=(kind_host if role == "host" else "story"),  # type: ignore[arg-type]
                language=meta["language"] if role == "host" else language,
                pause_after_ms=pauses.sentence_ms,
            ))
        if not said:
            continue
        last = 0 if kind_host == "outro" else pauses.story_ms
        said[-1] = replace(said[-1], pause_after_ms=last)
        is_url = source.startswith(("http://", "https://"))
        sections.append(Section(title.strip(), tuple(said), url=source if is_url else "",
                                source="" if is_url else source))
    if not any(ln.text for s in sections for ln in s.lines):
        raise ScriptFileError("the script has nothing to say")
    return Script(show=meta["show"], title=meta["title"], date=meta["date"],
                  language=meta["language"], sections=tuple(sections), host=host, reader=reader)


def _parse_voice(text: str) -> Voice:
    if not text:
        return Voice()
    match = _VOICE.match(text.strip())
    if not match:
        raise ScriptFileError(
            f"cannot read the voice {text!r}: write it as `en-us, rate 170, pitch 50`"
        )
    engine, sep, voice_id = match["id"].rpartition(":")
    return Voice(voice_id, int(match["rate"]), int(match["pitch"]), engine if sep else "")
