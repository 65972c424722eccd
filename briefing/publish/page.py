"""output/index.html: the archive page: players, chapters that seek, a transcript that follows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from pathlib import Path
from urllib.parse import quote

from briefing.publish.archive import PLAYLIST, ArchivedEpisode, write_atomic
from briefing.publish.feed import FEED, anchor, itunes_duration

INDEX = "index.html"

STYLE = """
body { font: 17px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d2430; background: #fbfaf7; }
header p a { margin-right: 1rem; }
article { border-top: 1px solid #d8d4cc; padding: 1rem 0 1.5rem; }
h2 { font-size: 1.2rem; margin: .2rem 0; }
.meta { color: #5c6470; font-size: .9rem; margin: 0 0 .6rem; }
audio { width: 100%; }
ol.chapters { padding-left: 1.4rem; }
ol.chapters .at { color: #5c6470; font-variant-numeric: tabular-nums; margin-left: .4rem; }
.transcript .cue { cursor: pointer; border-radius: 3px; }
.transcript .cue.current { background: #ffe7a8; }
"""

# Chapter links are real media-fragment links (file.mp3#t=12.3), so they work without
# JavaScript; with it, they seek the player on the page instead. The transcript follows
# the player through the VTT track's cues (cuechange); when the browser will not load the
# track (file:// pages), it falls back to the times in data-start/data-end.
SCRIPT = """
for (const article of document.querySelectorAll("article.episode")) {
  const audio = article.querySelector("audio");
  const cues = Array.from(article.querySelectorAll(".transcript .cue"));
  const seek = (seconds) => {
    audio.currentTime = seconds;
    const playing = audio.play();
    if (playing) playing.catch(() => {});
  };
  for (const link of article.querySelectorAll("a[data-seek]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      seek(parseFloat(link.dataset.seek));
    });
  }
  for (const cue of cues) cue.addEventListener("click", () => seek(parseFloat(cue.dataset.start)));
  const highlight = (seconds) => {
    let current = null;
    for (const cue of cues) {
      if (parseFloat(cue.dataset.start) <= seconds + 0.001) current = cue;
    }
    if (current && seconds > parseFloat(current.dataset.end) + 0.05) current = null;
    for (const cue of cues) cue.classList.toggle("current", cue === current);
  };
  const track = audio.textTracks[0];
  if (track) {
    track.mode = "hidden";
    track.addEventListener("cuechange", () => {
      const active = track.activeCues && track.activeCues[0];
      if (active) highlight(active.startTime);
    });
  }
  audio.addEventListener("timeupdate", () => {
    if (!track || !track.cues || track.cues.length === 0) highlight(audio.currentTime);
  });
  audio.addEventListener("seeked", () => highlight(audio.currentTime));
}
"""


def _clock(ms: int) -> str:
    text = itunes_duration(ms)
    return text[3:] if text.startswith("00:") else text


def _episode(e: ArchivedEpisode) -> str:
    mp3 = quote(e.relpath)
    parts = [f'<article class="episode" id="{escape(anchor(e))}">',
             f"<h2>{escape(e.title)}</h2>",
             f'<p class="meta"><time datetime="{escape(e.date)}">{escape(_day(e.date))}</time>'
             f" · {_clock(e.duration_ms)} · <a href=\"{mp3}\" download>MP3</a>"]
    if e.sidecar(".txt").is_file():
        parts[-1] += f' · <a href="{quote(e.sidecar_relpath(".txt"))}">transcript</a>'
    parts[-1] += "</p>"
    track = ""
    if e.sidecar(".vtt").is_file():
        track = (f'<track kind="captions" src="{quote(e.sidecar_relpath(".vtt"))}" '
                 f'srclang="{escape(e.language)}" label="Transcript" default>')
    parts.append(f'<audio controls preload="metadata" src="{mp3}">{track}</audio>')
    if e.chapters:
        items = []
        for c in e.chapters:
            at = c.start_ms / 1000
            link = (f'<a href="{mp3}#t={at:.3f}" data-seek="{at:.3f}">{escape(c.title)}</a>'
                    f'<span class="at">{_clock(c.start_ms)}</span>')
            if c.url:
                link += f' <a class="source" href="{escape(c.url)}">(source)</a>'
            items.append(f"<li>{link}</li>")
        parts.append('<ol class="chapters">' + "".join(items) + "</ol>")
    if e.segments:
        spans = " ".join(
            f'<span class="cue" data-start="{start / 1000:.3f}" data-end="{end / 1000:.3f}">'
            f"{escape(text)}</span>"
            for text, start, end in e.segments
        )
        parts.append(f'<details class="transcript-box" open><summary>Transcript</summary>'
                     f'<p class="transcript">{spans}</p></details>')
    parts.append("</article>")
    return "\n".join(parts)


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def index_html(episodes: Sequence[ArchivedEpisode], title: str, language: str = "en") -> str:
    """The archive page: newest episode first; every URL relative, so it works from disk too."""
    body = "\n".join(_episode(e) for e in episodes) or "<p>No episodes yet.</p>"
    return f"""<!doctype html>
<html lang="{escape(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="alternate" type="application/rss+xml" title="{escape(title)}" href="{FEED}">
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{escape(title)}</h1>
<p><a href="{FEED}">Podcast feed</a><a href="{PLAYLIST}">Playlist (M3U)</a></p>
</header>
<main>
{body}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def write_index(output_dir: Path, episodes: Sequence[ArchivedEpisode], title: str,
                language: str = "en") -> Path:
    path = output_dir / INDEX
    write_atomic(path, index_html(episodes, title, language))
    return path
