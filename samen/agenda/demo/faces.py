"""Illustrations for the demo's challenges, drawn with Pillow: simple scenes, no real people."""

import io
import random

from PIL import Image, ImageDraw

SIZE = (1200, 675)
SKIN = ["#f1c7a5", "#d9a27e", "#a86b4a", "#7a4a2e", "#f5d6c0"]
CLOTHES = ["#0b6b55", "#6a2c70", "#1d4e89", "#8a3b12", "#c0882b", "#2f5d1e", "#b23a48"]
PALETTES = {
    "neighbours": ("#dcefe8", "#9cc7a4"),
    "reading": ("#f4ead8", "#d9c3a0"),
    "carer": ("#e3ecf7", "#a6c48a"),
    "map": ("#eef1f4", "#cfd8dc"),
    "park": ("#dff0f7", "#8fc07a"),
    "walking": ("#fbe9d8", "#b7d38f"),
}


def draw_scene(scene: str, seed: int) -> bytes:
    """A PNG of the scene; the same scene and seed give the same picture."""
    rng = random.Random(seed)
    sky, ground = PALETTES.get(scene, PALETTES["park"])
    image = Image.new("RGB", SIZE, sky)
    draw = ImageDraw.Draw(image)
    draw.ellipse((980, 60, 1100, 180), fill="#f7c948")
    draw.rectangle((0, 470, SIZE[0], SIZE[1]), fill=ground)
    {
        "neighbours": _neighbours,
        "reading": _reading,
        "carer": _carer,
        "map": _map,
        "park": _park,
        "walking": _walking,
    }.get(scene, _park)(draw, rng)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _person(draw: ImageDraw.ImageDraw, x: int, feet: int, rng: random.Random, scale: float = 1.0) -> None:
    head, body = int(34 * scale), int(150 * scale)
    colour = rng.choice(CLOTHES)
    draw.rounded_rectangle((x - 45 * scale, feet - body, x + 45 * scale, feet), radius=int(40 * scale), fill=colour)
    draw.ellipse((x - head, feet - body - 2 * head - 6, x + head, feet - body - 6), fill=rng.choice(SKIN))


def _tree(draw: ImageDraw.ImageDraw, x: int, base: int, size: int = 90) -> None:
    draw.rectangle((x - 12, base - size, x + 12, base), fill="#6b4a2b")
    draw.ellipse((x - size, base - 2 * size - 40, x + size, base - size + 30), fill="#3f7f4a")


def _house(draw: ImageDraw.ImageDraw, x: int, base: int) -> None:
    draw.rectangle((x, base - 260, x + 320, base), fill="#e9d8c4", outline="#8a6d52", width=4)
    draw.polygon([(x - 20, base - 260), (x + 160, base - 400), (x + 340, base - 260)], fill="#b23a48")
    draw.rectangle((x + 130, base - 150, x + 200, base), fill="#1d4e89")
    draw.rectangle((x + 30, base - 220, x + 100, base - 160), fill="#cfe8f5", outline="#8a6d52", width=3)
    draw.rectangle((x + 220, base - 220, x + 290, base - 160), fill="#cfe8f5", outline="#8a6d52", width=3)


def _neighbours(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _house(draw, 120, 540)
    _person(draw, 300, 540, rng, 0.9)
    _person(draw, 720, 600, rng)
    _person(draw, 860, 600, rng)
    _tree(draw, 1060, 560)


def _reading(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _person(draw, 430, 560, rng)
    _person(draw, 770, 560, rng)
    draw.rectangle((330, 520, 870, 545), fill="#8a6d52")
    draw.rectangle((360, 545, 380, 650), fill="#8a6d52")
    draw.rectangle((820, 545, 840, 650), fill="#8a6d52")
    draw.polygon([(540, 520), (660, 520), (680, 470), (560, 470)], fill="#ffffff", outline="#555555")
    for y in (482, 494, 506):
        draw.line((570, y, 660, y), fill="#777777", width=3)


def _carer(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    _tree(draw, 150, 520, 110)
    _tree(draw, 1050, 520, 100)
    _person(draw, 560, 590, rng, 0.85)  # seated: smaller
    draw.ellipse((500, 560, 620, 680), outline="#333333", width=10)
    draw.line((620, 520, 700, 470), fill="#333333", width=10)
    _person(draw, 720, 620, rng)
    _person(draw, 880, 620, rng)


def _map(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for x in range(80, 1200, 220):
        draw.line((x, 0, x - 60, 675), fill="#ffffff", width=26)
    for y in (160, 360, 560):
        draw.line((0, y, 1200, y + 30), fill="#ffffff", width=26)
    for x, y, colour in ((300, 250, "#b23a48"), (740, 420, "#0b6b55"), (960, 200, "#1d4e89")):
        draw.ellipse((x - 40, y - 40, x + 40, y + 40), fill=colour)
        draw.polygon([(x - 28, y + 20), (x + 28, y + 20), (x, y + 80)], fill=colour)
    draw.rectangle((520, 300, 534, 520), fill="#6b4a2b")
    draw.polygon([(534, 310), (660, 310), (690, 340), (660, 370), (534, 370)], fill="#c0882b")
    _person(draw, 440, 620, rng)


def _park(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.polygon([(500, 675), (700, 675), (640, 470), (580, 470)], fill="#e7dcc3")
    for x in (130, 330, 880, 1080):
        _tree(draw, x, 520, 95)
    draw.rectangle((760, 560, 940, 580), fill="#8a6d52")
    draw.rectangle((760, 520, 940, 535), fill="#8a6d52")
    _person(draw, 430, 640, rng, 0.8)


def _walking(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle((0, 560, 1200, 610), fill="#e7dcc3")
    for i, x in enumerate(range(220, 1100, 170)):
        _person(draw, x, 600 - (i % 2) * 12, rng, 0.8 + (i % 3) * 0.12)
    _tree(draw, 90, 520, 80)
