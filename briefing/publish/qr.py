"""The feed's address as a QR code: inline SVG for the page, text for the terminal (segno)."""

from __future__ import annotations

import io
from typing import TextIO


def _code(url: str) -> object:
    import segno

    # error level M survives a glare or a smudge on a screen; segno raises it when it fits
    return segno.make(url, error="m", micro=False)


def svg(url: str, label: str) -> str:
    """An <svg> element (no style attributes: it must pass the page's CSP) for `url`."""
    code = _code(url)
    # scale 4 with the 4-module quiet zone the standard asks for: ~150 px, a phone reads it
    # from arm's length; the CSS lets it shrink on narrow screens
    text: str = code.svg_inline(scale=4, border=4, dark="#000", light="#fff")  # type: ignore[attr-defined]
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


def terminal(url: str, out: TextIO, *, colours: bool) -> None:
    """Print the code for `url`: with ANSI colours on a terminal (dark on light whatever the
    theme), else in half-block characters that a log file or a pipe keeps intact."""
    code = _code(url)
    if colours:
        code.terminal(out=out, border=2)  # type: ignore[attr-defined]
    else:
        buffer = io.StringIO()
        code.terminal(out=buffer, compact=True, border=2)  # type: ignore[attr-defined]
        out.write(buffer.getvalue())
