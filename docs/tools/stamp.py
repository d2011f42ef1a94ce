#!/usr/bin/python3
"""Stamp a picture with what drew it: the text in its bottom right corner
and in the PNG's "Software" field (scripts/docs.sh).

    stamp.py IN.png OUT.png "drawn by winterflow 0.1.0, commit abc"
"""
import sys

from PIL import Image, ImageDraw, PngImagePlugin


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: stamp.py IN.png OUT.png TEXT")
    src, dst, text = argv[1:]
    im = Image.open(src).convert("RGB")
    draw = ImageDraw.Draw(im)
    left, top, right, bottom = draw.textbbox((0, 0), text)
    w, h = right - left, bottom - top
    x, y = im.width - w - 8, im.height - h - 6
    draw.rectangle((x - 4, y - 3, x + w + 4, y + h + 4), fill=(255, 255, 255))
    draw.text((x, y), text, fill=(110, 110, 110))
    info = PngImagePlugin.PngInfo()
    info.add_text("Software", text)
    im.save(dst, pnginfo=info, optimize=True)


if __name__ == "__main__":
    main(sys.argv)
