"""Scanned, stamped copies of the project's own table PDFs (扫描盖章件), as a county sends them.

`scan_pdf(src, dst)` rasterises every page of a real PDF at 200 dpi (pypdfium2), tilts it, adds
speckle and grey noise, multiplies a red seal (公章: a ring, a star and an arc of text) over the
table, and writes an image-only PDF (Pillow), so the reader sees what a scanner gives: no text.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

DPI = 200
SEAL_RED = (214, 40, 40)


def _seal(size: int, rng: random.Random):
    """A round red seal as an RGB image on white (multiplied over the page, white leaves it alone)."""
    from PIL import Image, ImageDraw, ImageFont
    img = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(img)
    width = max(3, size // 40)
    draw.ellipse((width, width, size - width, size - width), outline=SEAL_RED, width=width)
    c, r = size / 2, size * 0.12
    star = [(c + r * math.cos(math.pi / 2 + k * 4 * math.pi / 5), c - r * math.sin(math.pi / 2 + k * 4 * math.pi / 5))
            for k in range(5)]
    draw.polygon(star, fill=SEAL_RED)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", size // 9)
    except OSError:
        font = ImageFont.load_default()
    text = "××县教育局督导评估专用章"
    for k, ch in enumerate(text):
        angle = math.pi * (1.15 - 1.3 * k / (len(text) - 1))
        x, y = c + size * 0.34 * math.cos(angle), c - size * 0.34 * math.sin(angle)
        draw.text((x, y), ch, fill=SEAL_RED, font=font, anchor="mm")
    draw.text((c, c + size * 0.25), "2026年", fill=SEAL_RED, font=font, anchor="mm")
    return img.rotate(rng.uniform(-30, 30), fillcolor="white")


def _stamp(page, rng: random.Random):
    """`page` with a seal multiplied over its table area (the middle and lower right of the page)."""
    from PIL import ImageChops
    size = int(min(page.size) * 0.42)
    seal = _seal(size, rng)
    x = int(page.size[0] * rng.uniform(0.35, 0.6))
    y = int(page.size[1] * rng.uniform(0.15, 0.45))
    region = page.crop((x, y, x + size, y + size))
    page.paste(ImageChops.multiply(region, seal), (x, y))
    return page


def _noise(page, rng: random.Random, speckle: float, grey: float = 8):
    """Grey noise and black/white speckle (a dusty scanner glass), as numpy works it."""
    import numpy as np
    from PIL import Image
    arr = np.asarray(page, dtype=np.int16)
    gen = np.random.default_rng(rng.randrange(1 << 30))
    arr = arr + gen.normal(0, grey, arr.shape[:2])[..., None].astype(np.int16)
    dots = gen.random(arr.shape[:2])
    arr[dots < speckle] = 0
    arr[dots > 1 - speckle] = 255
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def scan_pdf(src: Path, dst: Path, *, angle: float = 1.5, seed: int = 0, speckle: float = 0.0015,
             grey: float = 8, dpi: int = DPI) -> Path:
    """An image-only PDF of `src`: each page at `dpi`, tilted by `angle` (alternating sign per page),
    stamped with a red seal, noised (`grey`: the noise's standard deviation, `speckle`: the share of
    black and white dots); returns `dst`."""
    import pypdfium2 as pdfium
    rng = random.Random(seed)
    pages = []
    pdf = pdfium.PdfDocument(str(src))
    try:
        for k in range(len(pdf)):
            page = pdf[k].render(scale=dpi / 72).to_pil().convert("RGB")
            page = _stamp(page, rng)
            page = page.rotate(angle if k % 2 == 0 else -angle, resample=3, expand=False, fillcolor="white")
            pages.append(_noise(page, rng, speckle, grey))
    finally:
        pdf.close()
    pages[0].save(dst, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return dst
