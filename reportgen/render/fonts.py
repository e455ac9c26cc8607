"""Find a Japanese (CJK) font through fontconfig; the PDF and the print CSS name its family."""

from __future__ import annotations

import ctypes.util
import functools
import shutil
import subprocess
from dataclasses import dataclass

from reportgen.errors import RenderError

PREFERRED = ("Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic")


@dataclass(frozen=True)
class Font:
    """A font family fontconfig resolves for Japanese text, and the file it comes from."""

    family: str
    path: str


def _fc(args: list[str]) -> str:
    tool = shutil.which(args[0])
    if tool is None:
        raise RenderError.keyed("font_no_fontconfig", tool=args[0])
    # A fixed fontconfig tool found on PATH, arguments as a list: no shell involved.
    result = subprocess.run(
        [tool, *args[1:]], capture_output=True, text=True, check=False, timeout=30
    )
    if result.returncode != 0:
        raise RenderError.keyed(
            "font_fc_failed", command=" ".join(args), detail=result.stderr.strip()
        )
    return result.stdout


def families_for_japanese() -> dict[str, str]:
    """Every installed family that covers Japanese, mapped to one of its files."""
    found: dict[str, str] = {}
    for line in _fc(["fc-list", ":lang=ja", "family", "file"]).splitlines():
        path, _, names = line.partition(": ")
        for name in names.split(","):
            found.setdefault(name.strip(), path.strip())
    return found


@functools.cache
def japanese_font() -> Font:
    """The preferred installed CJK font (Noto Sans CJK JP first); :class:`RenderError` if none."""
    found = families_for_japanese()
    for family in PREFERRED:
        if family in found:
            return Font(family, found[family])
    if found:
        family = sorted(found)[0]
        return Font(family, found[family])
    raise RenderError.keyed("font_no_japanese")


def fast_subsetting_available() -> bool:
    """Whether HarfBuzz's subsetter is present (without it a Japanese PDF takes 10x longer)."""
    return ctypes.util.find_library("harfbuzz-subset") is not None
