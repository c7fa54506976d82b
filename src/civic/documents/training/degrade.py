"""A clean page made to look scanned, photographed or faxed: stamps and handwriting-like marks
on the paper, then a little turn, low resolution, blur, noise and JPEG artefacts.

Every choice comes from the document's random source and is returned with the image, so the
ground truth says what was done to the page.
"""

from __future__ import annotations

import io
import math
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

STAMP_WORDS = ("RECEIVED", "ONTVANGEN", "COPY", "KOPIE", "PAID", "BETAALD", "SCANNED", "GEZIEN")


def _stamp(image: Image.Image, rng: random.Random) -> None:
    width, height = image.size
    scale = width / 1700
    word = rng.choice(STAMP_WORDS)
    stamp = Image.new("L", (int(520 * scale), int(170 * scale)), 0)
    draw = ImageDraw.Draw(stamp)
    draw.rectangle(
        [4, 4, stamp.width - 5, stamp.height - 5], outline=255, width=max(2, int(7 * scale))
    )
    font = ImageFont.load_default(size=max(12, int(60 * scale)))
    draw.text((int(30 * scale), int(20 * scale)), word, fill=255, font=font)
    draw.text(
        (int(30 * scale), int(95 * scale)),
        f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-20{rng.randint(24, 26)}",
        fill=255,
        font=font,
    )
    stamp = stamp.rotate(rng.uniform(-25, 25), expand=True)
    x = rng.randint(0, max(1, width - stamp.width))
    y = rng.randint(0, max(1, height - stamp.height))
    ink = Image.new("L", stamp.size, rng.randint(60, 140))  # a grey stamp, as a red one scans
    image.paste(ink, (x, y), stamp.point(lambda p: int(p * rng.uniform(0.55, 0.9))))


def _scribble(image: Image.Image, rng: random.Random) -> None:
    """A signature, an underline or a note in the margin: a wavy stroke of a pen."""
    width, height = image.size
    draw = ImageDraw.Draw(image)
    x, y = rng.uniform(0.05, 0.7) * width, rng.uniform(0.1, 0.95) * height
    length = rng.uniform(0.1, 0.35) * width
    wave, phase = rng.uniform(8, 30) * width / 1700, rng.uniform(0, math.pi)
    points = [
        (x + t * length, y + wave * math.sin(phase + t * rng.uniform(8, 25)) + rng.uniform(-2, 2))
        for t in np.linspace(0, 1, 80)
    ]
    draw.line(points, fill=rng.randint(0, 90), width=max(2, int(rng.uniform(2, 5) * width / 1700)))


def _decoded(data: bytes) -> Image.Image:
    # Our own page, not a received file: the reading's bomb limit, which it sets on Pillow
    # globally from the settings, does not apply.
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        return Image.open(io.BytesIO(data)).convert("L")
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def page_degrade(page: Image.Image, rng: random.Random) -> tuple[Image.Image, dict]:
    """The page (greyscale, rendered at 300 dpi) as a scan, and what was done to it."""
    image = page.convert("L")
    done: dict = {"stamps": 0, "marks": 0}
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        _stamp(image, rng)
        done["stamps"] += 1
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        _scribble(image, rng)
        done["marks"] += 1
    dpi = rng.choice((150, 200, 200, 240, 300))
    if dpi != 300:
        image = image.resize((image.width * dpi // 300, image.height * dpi // 300), Image.LANCZOS)
    done["dpi"] = dpi
    angle = round(rng.uniform(-3, 3), 2) if rng.random() < 0.7 else 0.0
    if rng.random() < 0.06:
        angle += rng.choice((90, 180, 270))  # fed in the wrong way round
    if angle:
        image = image.rotate(
            angle, resample=Image.BICUBIC, expand=True, fillcolor=rng.randint(200, 255)
        )
    done["rotation"] = angle
    blur = round(rng.choice((0, 0.4, 0.7, 1.0, 1.3)) * dpi / 300, 2)
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    done["blur"] = blur
    noise = rng.choice((0, 6, 12, 20))
    if noise:
        pixels = np.asarray(image, dtype=np.float32)
        pixels += np.random.default_rng(rng.getrandbits(32)).normal(0, noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    done["noise"] = noise
    quality = rng.choice((None, 85, 60, 40, 25))
    if quality:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality)
        image = _decoded(buffer.getvalue())
    done["jpeg_quality"] = quality
    return image, done
