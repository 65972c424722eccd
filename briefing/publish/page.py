"""output/index.html: the show's page: cover, subscribe box with QR code, players, chapters.

One self-contained file (no external resources: it works offline and from disk). Its one
style and one script are inline, and `csp()` allows exactly those two by their hashes, so
`serve` can forbid everything else (a hostile link in a feed item cannot run anything).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence
from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import quote

from briefing.config import Config
from briefing.publish.archive import PLAYLIST, ArchivedEpisode, write_atomic
from briefing.publish.feed import (
    FEED,
    anchor,
    base_url,
    cover_name,
    itunes_duration,
    points_at_this_machine,
    show_description,
    title,
    url_for,
)
from briefing.publish.links import public_url

INDEX = "index.html"

STYLE = """
* { box-sizing: border-box; }
body { font: 17px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 0 auto;
       padding: 1rem; color: #1d2430; background: #fbfaf7; overflow-wrap: anywhere; }
a { color: #1a4f9c; }
a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible {
  outline: 3px solid #e8a400; outline-offset: 2px; }
.show { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
.show img { width: 8rem; max-width: 35vw; height: auto; border-radius: 6px; }
.show div { flex: 1 1 14rem; min-width: 0; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; line-height: 1.2; }
.subscribe { background: #f0ece4; border-radius: 8px; padding: .8rem 1rem; margin: 1rem 0; }
.subscribe h2 { margin-top: 0; }
.copy { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
.copy label { flex: 0 0 100%; font-weight: 600; }
.copy input { flex: 1 1 12rem; min-width: 0; font: inherit; padding: .3rem .4rem; }
button { font: inherit; padding: .3rem .9rem; cursor: pointer; }
.qr svg { display: block; max-width: 100%; height: auto; margin: .6rem 0; }
.links a { margin-right: .8rem; display: inline-block; }
article { border-top: 1px solid #d8d4cc; padding: 1rem 0 1.5rem; }
h2 { font-size: 1.2rem; margin: .2rem 0; }
.meta { color: #515a66; font-size: .9rem; margin: 0 0 .6rem; }
audio { width: 100%; }
ol.chapters { padding-left: 1.4rem; }
ol.chapters .at { color: #515a66; font-variant-numeric: tabular-nums; margin-left: .4rem; }
.transcript .cue { cursor: pointer; border-radius: 3px; }
.transcript .cue.current { background: #ffe7a8; }
"""

# Chapter links are real media-fragment links (file.mp3#t=12.3), so they work without
# JavaScript; with it, they seek the player on the page instead. The transcript follows
# the player through the VTT track's cues (cuechange); when the browser will not load the
# track (file:// pages), it falls back to the times in data-start/data-end. The feed's
# address is made absolute from the page's own when the page did not know it.
SCRIPT = """
const feed = document.getElementById("feed-url");
if (feed && feed.dataset.relative !== undefined && /^https?:$/.test(location.protocol)) {
  feed.value = new URL(feed.value, location.href).href;
  const app = document.getElementById("podcast-app");
  if (app) app.href = feed.value.replace(/^https?:/, "podcast:");
}
for (const button of document.querySelectorAll("button[data-copy]")) {
  button.addEventListener("click", async () => {
    const field = document.getElementById(button.dataset.copy);
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch (error) {
      copied = document.execCommand("copy");  // plain http pages have no clipboard API
    }
    button.textContent = copied ? "Copied" : "Press Ctrl+C";
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  });
}
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


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@cache
def csp() -> str:
    """The Content-Security-Policy for the page and everything `serve` sends: this page's
    own style and script, its media and images from the same server, and nothing else."""
    return ("default-src 'none'; "
            f"script-src {_hash(SCRIPT)}; style-src {_hash(STYLE)}; "
            "img-src 'self'; media-src 'self'; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _clock(ms: int) -> str:
    text = itunes_duration(ms)
    return text[3:] if text.startswith("00:") else text


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.1f} MB"


def _episode(e: ArchivedEpisode) -> str:
    mp3 = quote(e.relpath)
    name = title(e)
    meta = (f'<time datetime="{escape(e.date)}">{escape(_day(e.date))}</time>'
            f" · {_clock(e.duration_ms)} · {_megabytes(e.size)}"
            f' · <a href="{mp3}" download>MP3</a>')
    for suffix, label in ((".txt", "text"), (".vtt", "WebVTT"), (".srt", "SRT")):
        if e.sidecar(suffix).is_file():
            meta += f' · <a href="{quote(e.sidecar_relpath(suffix))}">{label}</a>'
    parts = [f'<article class="episode" id="{escape(anchor(e))}">',
             f"<h2>{escape(name)}</h2>", f'<p class="meta">{meta}</p>']
    track = ""
    if e.sidecar(".vtt").is_file():
        track = (f'<track kind="captions" src="{quote(e.sidecar_relpath(".vtt"))}" '
                 f'srclang="{escape(e.language)}" label="Transcript" default>')
    parts.append(f'<audio controls preload="metadata" src="{mp3}" '
                 f'aria-label="{escape("Play " + name)}">{track}</audio>')
    if e.chapters:
        items = []
        for c in e.chapters:
            at = c.start_ms / 1000
            link = (f'<a href="{mp3}#t={at:.3f}" data-seek="{at:.3f}">{escape(c.title)}</a>'
                    f'<span class="at">{_clock(c.start_ms)}</span>')
            source = public_url(c.url)
            if source:
                link += (f' <a class="source" href="{escape(source)}" rel="noopener noreferrer"'
                         f' aria-label="{escape("Source: " + c.title)}">(source)</a>')
            items.append(f"<li>{link}</li>")
        parts.append(f'<ol class="chapters" aria-label="{escape("Chapters of " + name)}">'
                     + "".join(items) + "</ol>")
    if e.segments:
        spans = " ".join(
            f'<span class="cue" data-start="{start / 1000:.3f}" data-end="{end / 1000:.3f}">'
            f"{escape(text)}</span>"
            for text, start, end in e.segments
        )
        parts.append('<details class="transcript-box"><summary>Transcript</summary>'
                     f'<p class="transcript">{spans}</p></details>')
    parts.append("</article>")
    return "\n".join(parts)


def _day(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def _subscribe(config: Config, served: str | None, lan: str | None) -> str:
    """The feed's address to copy, a podcast:// link, and the QR code when a phone could
    follow it: the address used, or the LAN address of a server that has one when the page
    was opened on this machine."""
    from briefing.publish.qr import svg

    known = bool(config.public_url or served)
    feed = url_for(base_url(config, served), FEED) if known else FEED
    relative = "" if known else " data-relative"
    app = "podcast:" + feed.split(":", 1)[1] if known else FEED
    code = known and not points_at_this_machine(feed)
    parts = ['<section class="subscribe" aria-labelledby="subscribe">',
             '<h2 id="subscribe">Subscribe</h2>',
             "<p>Paste the feed's address into your podcast app"
             + (", or point your phone's camera at the code." if code else ".") + "</p>",
             '<div class="copy"><label for="feed-url">Feed address</label>'
             f'<input id="feed-url" type="url" readonly value="{escape(feed)}"{relative}>'
             '<button type="button" data-copy="feed-url">Copy</button></div>']
    if code:
        parts.append(f'<div class="qr">{svg(feed, "QR code of the feed address")}</div>')
    elif known and lan:
        phone = url_for(lan, FEED)
        parts.append(f"<p>From a phone on this network: <code>{escape(phone)}</code>, or point "
                     "its camera at the code.</p>"
                     f'<div class="qr">{svg(phone, "QR code of the feed address on this network")}'
                     "</div>")
    elif known:
        parts.append("<p>This address works on this computer only: start the server with "
                     "<code>briefing serve --host 0.0.0.0</code> to subscribe from a phone.</p>")
    parts.append(f'<p class="links"><a id="podcast-app" href="{escape(app)}">Open in a podcast '
                 f'app</a><a href="{FEED}">feed.xml</a><a href="{PLAYLIST}">Playlist (M3U)</a>'
                 "</p></section>")
    return "\n".join(parts)


def index_html(episodes: Sequence[ArchivedEpisode], config: Config,
               served: str | None = None, lan: str | None = None) -> str:
    """The page: the show, how to subscribe, then every episode, newest first.

    `served` is the address a client used to reach `serve` (it makes the feed's address
    and QR code), `lan` the server's folder URL on the network when it listens there;
    episode links stay relative, so the page works from disk too.
    """
    show = escape(config.title)
    body = "\n".join(_episode(e) for e in episodes) or "<p>No episodes yet.</p>"
    return f"""<!doctype html>
<html lang="{escape(config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{show}</title>
<link rel="alternate" type="application/rss+xml" title="{show}" href="{FEED}">
<link rel="icon" href="{cover_name(config)}">
<style>{STYLE}</style>
</head>
<body>
<header class="show">
<img src="{cover_name(config)}" alt="{escape("Cover art of " + config.title)}"
 width="160" height="160">
<div><h1>{show}</h1><p>{escape(show_description(config))}</p></div>
</header>
{_subscribe(config, served, lan)}
<main>
{body}
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def write_index(output_dir: Path, episodes: Sequence[ArchivedEpisode], config: Config) -> Path:
    path = output_dir / INDEX
    write_atomic(path, index_html(episodes, config))
    return path
