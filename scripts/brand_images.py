"""Draw the brand images into custom_components/security_posture/brand/.

Home Assistant 2026.3 and later serve a custom integration's images from its `brand/` folder,
and HACS' brands check looks for `brand/icon.png` there. The sizes follow the brands
repository: icons 256x256 and 512x512; logos with a shortest side of 256 and 512 pixels.
Everything is drawn at four times the size and scaled down, which antialiases the edges.

Run with the development environment's Python (Pillow comes with Home Assistant):
    .venv/bin/python scripts/brand_images.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).parents[1] / "custom_components/security_posture/brand"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
SCALE = 4
LIGHT_HALF = (59, 130, 246, 255)  # the shield's lit left half
DARK_HALF = (29, 78, 216, 255)  # its shaded right half
CHECK = (255, 255, 255, 255)
INK = {"light": (31, 41, 55, 255), "dark": (243, 244, 246, 255)}


def shield(height: int) -> Image.Image:
    """A two-tone shield with a bold check mark, `height` pixels tall, trimmed."""
    h = height * SCALE
    w = round(h * 0.84)
    image = Image.new("RGBA", (w, h))
    draw = ImageDraw.Draw(image)
    # The right half, clockwise from the top centre: a shoulder, a straight side, then a
    # quadratic curve down to the point; the left half mirrors it.
    outline = [(w / 2, 0), (w, h * 0.092), (w, h * 0.52)]
    steps = 24
    for i in range(1, steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * w + 2 * (1 - t) * t * w + t * t * w / 2
        y = (1 - t) ** 2 * h * 0.52 + 2 * (1 - t) * t * h * 0.8 + t * t * h
        outline.append((x, y))
    left = [(w - x, y) for x, y in reversed(outline[1:-1])]
    polygon = outline + left
    draw.polygon(polygon, fill=LIGHT_HALF)
    shade = Image.new("RGBA", (w, h))
    ImageDraw.Draw(shade).polygon(polygon, fill=DARK_HALF)
    image.alpha_composite(shade.crop((w // 2, 0, w, h)), (w // 2, 0))
    stroke = round(h * 0.11)
    tick = [(w * 0.27, h * 0.49), (w * 0.44, h * 0.65), (w * 0.75, h * 0.32)]
    draw.line(tick, fill=CHECK, width=stroke, joint="curve")
    for x, y in (tick[0], tick[-1]):
        r = stroke / 2
        draw.ellipse((x - r, y - r, x + r, y + r), fill=CHECK)
    return image.resize((round(w / SCALE), height), Image.Resampling.LANCZOS)


def icon(size: int) -> Image.Image:
    """The shield, centred on a transparent square."""
    mark = shield(size)
    square = Image.new("RGBA", (size, size))
    square.alpha_composite(mark, ((size - mark.width) // 2, 0))
    return square


def logo(height: int, theme: str) -> Image.Image:
    """The shield beside "Security / Posture" in two lines, `height` pixels tall."""
    mark = shield(height)
    font = ImageFont.truetype(FONT, round(height * 0.36))
    lines = ("Security", "Posture")
    text_width = max(round(font.getlength(line)) for line in lines)
    gap = round(height * 0.12)
    image = Image.new("RGBA", (mark.width + gap + text_width, height))
    image.alpha_composite(mark)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        y = height * (0.27 + 0.46 * row)
        draw.text((mark.width + gap, y), line, font=font, fill=INK[theme], anchor="lm")
    bbox = image.getbbox()
    return image.crop((0, 0, bbox[2], height)) if bbox else image


def save(image: Image.Image, name: str) -> None:
    """Write a PNG, losslessly compressed."""
    image.save(BRAND / name, optimize=True)
    print(f"{name}: {image.width}x{image.height}")


def main() -> None:
    """Write every image."""
    BRAND.mkdir(exist_ok=True)
    save(icon(256), "icon.png")
    save(icon(512), "icon@2x.png")
    for theme, prefix in (("light", ""), ("dark", "dark_")):
        save(logo(256, theme), f"{prefix}logo.png")
        save(logo(512, theme), f"{prefix}logo@2x.png")


if __name__ == "__main__":
    main()
