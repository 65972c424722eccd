"""A generated cover image: the show's name on a calm gradient, 1400 px square (Apple's minimum)."""

from __future__ import annotations

import hashlib
import io
import textwrap

SIZE = 1400  # Apple Podcasts wants 1400-3000 px square artwork
DESIGN = 1  # bump when the drawing changes, so cached covers are redrawn


def _palette(seed: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Two colours picked from the show's name, so each show keeps its own look."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    hue = digest[0] / 255
    import colorsys

    top = colorsys.hsv_to_rgb(hue, 0.55, 0.45)
    bottom = colorsys.hsv_to_rgb((hue + 0.08) % 1, 0.65, 0.20)
    scale = lambda c: tuple(int(x * 255) for x in c)  # noqa: E731
    return scale(top), scale(bottom)  # type: ignore[return-value]


def cover_png(title: str, subtitle: str = "") -> bytes:
    """PNG bytes of a square cover with `title` large and `subtitle` (e.g. a date) small.

    Drawing takes ~0.2 s, a fifth of a warm re-render: kept in the cache folder.
    """
    from briefing.paths import cache_dir, keep_in_cache

    key = hashlib.sha256(f"{DESIGN}|{title}|{subtitle}".encode()).hexdigest()[:32]
    path = cache_dir() / "covers" / f"{key}.png"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = _draw(title, subtitle)
    keep_in_cache(path, data)
    return data


def _draw(title: str, subtitle: str) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    top, bottom = _palette(title)
    image = Image.new("RGB", (SIZE, SIZE), top)
    draw = ImageDraw.Draw(image)
    for y in range(SIZE):
        t = y / (SIZE - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (SIZE, y)], fill=colour)
    # a sound wave motif: bars whose heights follow the letters of the title
    heights = [40 + (ord(ch) * 37) % 220 for ch in (title or "briefing")[:24]]
    bar_w = 26
    x0 = (SIZE - len(heights) * bar_w * 2) // 2
    for i, h in enumerate(heights):
        x = x0 + i * bar_w * 2
        draw.rounded_rectangle([x, 980 - h, x + bar_w, 980 + h // 3], radius=12,
                               fill=(255, 255, 255, 90))
    title_font = ImageFont.load_default(size=150)
    lines = textwrap.wrap(title or "Briefing", 14)[:3]
    y = 250
    for line in lines:
        width = draw.textlength(line, font=title_font)
        draw.text(((SIZE - width) / 2, y), line, font=title_font, fill="white")
        y += 175
    if subtitle:
        small = ImageFont.load_default(size=70)
        width = draw.textlength(subtitle, font=small)
        draw.text(((SIZE - width) / 2, 1150), subtitle, font=small, fill=(235, 235, 235))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


MIN_SIZE, MAX_SIZE = 1400, 3000  # Apple Podcasts: square artwork, 1400 to 3000 px a side


def check_cover(path: str) -> str | None:
    """None when `path` is artwork podcast apps take (a square PNG or JPEG of 1400-3000 px),
    else what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            kind, (width, height) = image.format, image.size
    except FileNotFoundError:
        return f"cover_image {path} does not exist"
    except (OSError, UnidentifiedImageError, ValueError):
        return f"cover_image {path} is not a PNG or JPEG image"
    if kind not in ("PNG", "JPEG"):
        return f"cover_image {path} is {kind}: podcast apps take PNG or JPEG"
    if width != height or not MIN_SIZE <= width <= MAX_SIZE:
        return (f"cover_image {path} is {width}x{height} px: podcast apps want a square of "
                f"{MIN_SIZE} to {MAX_SIZE} px")
    return None
