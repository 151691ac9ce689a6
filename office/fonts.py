"""The Chinese faces every PDF is set in: free TrueType fonts that ``bin/install-fonts`` installs
from Debian's packages, registered with reportlab once and embedded in each file as subsets, so a
PDF prints in the face it was set in on any machine.

Roles follow GB/T 9704-2012: ``title`` 小标宋 (标题), ``heading`` 黑体 (一级标题, marks), ``kai`` 楷体
(二级标题), ``body`` 仿宋 (正文), ``song`` 宋体. Each role lists its candidates best first. A candidate
counts only when its file is there, has TrueType outlines (reportlab embeds TrueType only; Noto CJK
and Fandol are CFF/PostScript-outline OpenType and are refused) and holds every character of a line
of simplified text (:data:`PROBE`).

What the free packages give, measured over the 6 763 hanzi of GB2312 (docs/operations.md, "Fonts"):
AR PL SungtiL GB (宋), AR PL KaitiM GB (楷), WenQuanYi Micro Hei / Zen Hei (黑) and AR PL UMing /
UKai hold all of them; cwTeX 仿宋 holds 4 384 (a traditional-character font: never qualifies). The
free simplified 仿宋 and a bold 宋 for the title are the Fandol faces of texlive-lang-chinese, made
TrueType once per machine by ``office/fonts_convert.py`` (run by ``bin/install-fonts``). Without them
the body falls to the 宋 and the title to the same 宋 drawn heavier (``Face.heavy``: the outline
stroked as well as filled). An office holding licences for the official faces puts their files in
``SHUNIU_FONT_DIR`` (e.g. simfang.ttf, simkai.ttf, simhei.ttf, FZXBSJW.TTF) and they win.

With no candidate at all for a role, the role is drawn in the built-in CID font STSong-Light (not
embedded: the viewer substitutes a face of its own) and a warning is logged once.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

FALLBACK = "STSong-Light"
PROBE = "国务院办公厅关于印发通知的函，。、：（）〔〕《》１２３"
SYSTEM_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# (file name, sub-font index of a .ttc, drawn heavier) best first; names are matched case-blind.
CANDIDATES: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "title": (
        ("FZXBSJW.TTF", 0, False),  # 方正小标宋简体
        ("方正小标宋简体.ttf", 0, False),
        ("FandolSong-Bold.ttf", 0, False),  # texlive-lang-chinese, made TrueType by office/fonts_convert.py
        ("gbsn00lp.ttf", 0, True),  # fonts-arphic-gbsn00lp: AR PL SungtiL GB
        ("uming.ttc", 0, True),  # fonts-arphic-uming: AR PL UMing CN
    ),
    "heading": (
        ("simhei.ttf", 0, False),
        ("wqy-microhei.ttc", 0, False),  # fonts-wqy-microhei
        ("wqy-zenhei.ttc", 0, False),  # fonts-wqy-zenhei
    ),
    "kai": (
        ("simkai.ttf", 0, False),
        ("FandolKai-Regular.ttf", 0, False),
        ("gkai00mp.ttf", 0, False),  # fonts-arphic-gkai00mp: AR PL KaitiM GB
        ("ukai.ttc", 0, False),  # fonts-arphic-ukai: AR PL UKai CN
    ),
    "body": (
        ("simfang.ttf", 0, False),
        ("仿宋_GB2312.ttf", 0, False),
        ("FandolFang-Regular.ttf", 0, False),
        ("cwfs.ttf", 0, False),  # fonts-cwtex-fs: traditional only, fails the probe (kept for a fixed release)
        ("gbsn00lp.ttf", 0, False),
        ("uming.ttc", 0, False),
    ),
    "song": (
        ("simsun.ttc", 0, False),
        ("gbsn00lp.ttf", 0, False),
        ("uming.ttc", 0, False),
    ),
}
ROLES = tuple(CANDIDATES)


@dataclass(frozen=True)
class Face:
    """A role's face: the name reportlab knows it by, and how it is drawn."""

    name: str
    path: str = ""  # empty for the fallback
    family: str = ""  # the font's PostScript name, as the PDF's font dictionaries carry it
    heavy: bool = False  # a 宋 standing in for 小标宋: stroke the outline as well as fill it

    @property
    def embedded(self) -> bool:
        return bool(self.path)


def _font_dirs() -> list[Path]:
    from office.fonts_convert import CACHE

    dirs = [getattr(settings, "SHUNIU_FONT_DIR", "") or os.environ.get("SHUNIU_FONT_DIR", ""), str(CACHE)]
    return [Path(d) for d in (*dirs, *SYSTEM_DIRS) if d and Path(d).is_dir()]


@functools.cache
def _installed() -> dict[str, str]:
    """Every font file under the font directories by lower-case name (the office's own first)."""
    found: dict[str, str] = {}
    for root in _font_dirs():
        for folder, _dirs, files in sorted(os.walk(root)):
            for name in sorted(files):
                found.setdefault(name.lower(), os.path.join(folder, name))
    return found


@functools.cache
def _register(path: str, subfont: int) -> tuple[str, str] | None:
    """Register ``path`` with reportlab as an embedded (subset) TrueType font; None when it cannot
    be: PostScript (CFF) outlines, a licence that forbids embedding, or missing probe characters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"shuniu-{Path(path).stem}-{subfont}"
    try:
        font = TTFont(name, path, subfontIndex=subfont)
    except Exception as error:  # reportlab raises TTFError and plain errors alike for unusable files
        log.info("font %s unusable: %s", path, error)
        return None
    missing = [char for char in PROBE if ord(char) not in font.face.charToGlyph]
    if missing:
        log.info("font %s lacks %s", path, "".join(missing))
        return None
    pdfmetrics.registerFont(font)
    family = font.face.name
    return name, family.decode("ascii", "replace") if isinstance(family, bytes) else str(family)


@functools.cache
def face(role: str) -> Face:
    """The face ``role`` is drawn in: the first usable candidate, else STSong-Light (warned once)."""
    installed = _installed()
    for file_name, subfont, heavy in CANDIDATES[role]:
        path = installed.get(file_name.lower())
        if path and (registered := _register(path, subfont)):
            return Face(name=registered[0], path=path, family=registered[1], heavy=heavy)
    log.warning(
        "No embeddable Chinese TrueType font for %s (run bin/install-fonts): PDFs use %s, not embedded.",
        role,
        FALLBACK,
    )
    return Face(name=_fallback(), family=FALLBACK, heavy=role == "title")


def faces() -> dict[str, Face]:
    """Every role's face."""
    return {role: face(role) for role in ROLES}


@functools.cache
def _fallback() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def reset() -> None:
    """Forget what was found (tests that move the font directory)."""
    for cached in (_installed, _register, face):
        cached.cache_clear()


@functools.cache
def heavy_paragraph_class():
    """A platypus Paragraph drawn heavier (fill and stroke, 3.5% of the size): a 宋 standing in
    for 小标宋 (``Face.heavy``)."""
    from reportlab.platypus import Paragraph

    class HeavyParagraph(Paragraph):
        def draw(self):
            canvas = self.canv
            canvas.saveState()
            canvas.setStrokeColor(self.style.textColor)
            canvas.setLineWidth(self.style.fontSize * 0.035)
            canvas._code.append("2 Tr")  # text render mode: fill, then stroke
            super().draw()
            canvas.restoreState()

    return HeavyParagraph
