"""``python -m office.fonts_convert``: the free Fandol faces (仿宋, 楷, 宋 bold for 小标宋) as
TrueType, for reportlab to embed (``office/fonts.py``).

Debian ships Fandol (texlive-lang-chinese) as OpenType with PostScript (CFF) outlines, which
reportlab cannot embed. ``bin/install-fonts`` runs this once per machine: each glyph's cubic
outline is approximated by quadratic splines (fontTools' cu2qu, error ≤ 1 unit of 1000/em —
invisible in print) into a TrueType ``glyf`` table, written to :data:`CACHE` (outside the checkout,
so a clean checkout reuses it). Files already converted are left as they are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

FANDOL_DIR = Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol")
FACES = ("FandolFang-Regular", "FandolKai-Regular", "FandolSong-Bold")
CACHE = Path(
    os.environ.get("SHUNIU_FONT_CACHE")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "shuniu-fonts"
)


def convert(source: Path, target: Path) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(source))
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs"):
        setattr(maxp, attribute, 0)
    maxp.maxZones, maxp.maxStackElements, maxp.maxSizeOfInstructions = 1, 0, 0
    maxp.maxComponentElements, maxp.maxComponentDepth = 0, 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"
    partial = target.with_suffix(".part")
    font.save(str(partial))
    partial.replace(target)  # never a half-written font where office/fonts.py looks


def main() -> int:
    if not FANDOL_DIR.is_dir():
        print(f"fonts_convert: {FANDOL_DIR} not found (texlive-lang-chinese); PDFs keep the other faces")
        return 0
    CACHE.mkdir(parents=True, exist_ok=True)
    for face in FACES:
        source, target = FANDOL_DIR / f"{face}.otf", CACHE / f"{face}.ttf"
        if source.is_file() and not target.is_file():
            print(f"fonts_convert: {face} → {target}")
            convert(source, target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
