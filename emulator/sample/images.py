"""Pictures for the sample: news banners (flat shapes and a title) and large photo-like images."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw, ImageFont

BANNER_SIZE = (1200, 675)
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
PALETTE = ["#004b87", "#00875a", "#b3541e", "#6a1b9a", "#c62828", "#00695c", "#37474f",
           "#ad1457", "#1565c0", "#2e7d32"]


def banner(title: str, seed: int, fmt: str = "JPEG") -> bytes:
    """A 1200x675 banner: a coloured background, a few shapes and the title, as JPEG or PNG."""
    rng = random.Random(seed)
    background, accent = rng.sample(PALETTE, 2)
    picture = Image.new("RGB", BANNER_SIZE, background)
    draw = ImageDraw.Draw(picture)
    for _ in range(rng.randint(3, 6)):
        x, y, r = rng.randint(0, 1200), rng.randint(0, 675), rng.randint(60, 260)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=accent, outline="#ffffff", width=4)
    draw.rectangle((0, 470, 1200, 675), fill="#ffffff")
    # Pillow's built-in font has no æ, ø or å, so the drawn title spells them out.
    text = title.translate(_FOLD)[:46]
    draw.text((60, 520), text, fill=background, font=ImageFont.load_default(size=52))
    out = io.BytesIO()
    if fmt == "PNG":
        picture.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
    else:
        picture.save(out, "JPEG", quality=80)
    return out.getvalue()


def photo(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """A noisy, photo-sized JPEG that hardly compresses: makes large files with little work."""
    rng = random.Random(seed)
    noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=92)
    return out.getvalue()
