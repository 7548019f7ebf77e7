"""The faces of printed documents: one stack per role, the face each stack will use, and the check.

Official documents (GB/T 9704-2012 and county practice) set the body and the 版记 in 仿宋, titles
and the organ mark in 小标宋, first-level headings in 黑体 (regular weight), second-level headings and
the editor's note in 楷体. Each role has a stack: the commercial faces a county may have installed
come first, then free faces. FandolFang and FandolKai ship with the project (``typefaces/``,
GPL with the font exception) and are loaded with ``@font-face``, so they need no fontconfig set-up;
the Noto faces come from Debian's fonts-noto-cjk.

WeasyPrint silently falls back to whatever fontconfig offers; a stack with no face at all would
print in the wrong face or as empty boxes. ``missing_fonts()`` names such stacks: the system check
``reports.E001``, ``/healthz``, the worker's start and every render refuse to go on.
"""

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.safestring import mark_safe

SHIPPED = Path(__file__).resolve().parent / "typefaces"


@dataclass(frozen=True)
class Face:
    name: str  # as people know it, and as fontconfig knows its family
    family: str = ""  # the family name to ask fontconfig / CSS for, when not ``name``
    weight: int = 400  # CSS weight of this face
    shipped: str = ""  # file name in typefaces/ for a face that ships with the project

    @property
    def css_family(self):
        return self.family or self.name


@dataclass(frozen=True)
class Stack:
    key: str
    label: str  # the role, as a typesetter says it
    faces: tuple
    generic: str


# What WeasyPrint falls back to for a character the chosen face lacks.
SERIF_FALLBACK = '"Noto Serif CJK SC", serif'
SANS_FALLBACK = '"Noto Sans CJK SC", sans-serif'

STACKS = (
    Stack(
        "fangsong",
        "仿宋",
        (
            Face("仿宋_GB2312"),
            Face("FangSong_GB2312"),
            Face("仿宋"),
            Face("FangSong"),
            Face("华文仿宋", family="STFangsong"),
            Face("FandolFang", shipped="FandolFang-Regular.otf"),
        ),
        SERIF_FALLBACK,
    ),
    Stack(
        "xiaobiaosong",
        "小标宋",
        (
            Face("方正小标宋简体"),
            Face("方正小标宋_GBK"),
            Face("FZXiaoBiaoSong-B05S"),
            Face("FZXiaoBiaoSong-B05"),
            # Close free stand-ins: the heavy weights of Noto Serif CJK (Black and SemiBold come
            # with fonts-noto-cjk-extra, Bold with fonts-noto-cjk).
            Face("Noto Serif CJK SC Black", family="Noto Serif CJK SC", weight=900),
            Face("Noto Serif CJK SC SemiBold", family="Noto Serif CJK SC", weight=600),
            Face("Noto Serif CJK SC Bold", family="Noto Serif CJK SC", weight=700),
        ),
        SERIF_FALLBACK,
    ),
    Stack(
        "heiti",
        "黑体",
        (
            Face("黑体"),
            Face("SimHei"),
            Face("方正黑体_GBK"),
            Face("Noto Sans CJK SC", weight=400),
        ),
        SANS_FALLBACK,
    ),
    Stack(
        "kaiti",
        "楷体",
        (
            Face("楷体_GB2312"),
            Face("KaiTi_GB2312"),
            Face("楷体"),
            Face("KaiTi"),
            Face("华文楷体", family="STKaiti"),
            Face("AR PL UKai CN"),
            Face("FandolKai", shipped="FandolKai-Regular.otf"),
        ),
        SERIF_FALLBACK,
    ),
    Stack(
        "songti",  # page numbers (4号半角宋体) and the certificate
        "宋体",
        (Face("宋体"), Face("SimSun"), Face("Noto Serif CJK SC", weight=400)),
        SERIF_FALLBACK,
    ),
)

# fontconfig's weight scale for the CSS weights used above.
_FC_WEIGHT = {400: 80, 600: 180, 700: 200, 900: 210}


@dataclass(frozen=True)
class Resolved:
    stack: Stack
    face: Face
    path: str  # the font file (for metrics)
    index: int  # the face's index in a collection (.ttc)

    @property
    def label(self):
        return f"{self.stack.label}: {self.face.name}" + (" (shipped)" if self.face.shipped else "")


def _stacks():
    """The stacks in force (settings.REPORTS_FONT_STACKS may replace some faces, e.g. in tests)."""
    from django.conf import settings

    override = getattr(settings, "REPORTS_FONT_STACKS", None) or {}
    stacks = []
    for stack in STACKS:
        if stack.key in override:
            stack = Stack(stack.key, stack.label, tuple(override[stack.key]), stack.generic)
        stacks.append(stack)
    return tuple(stacks)


@lru_cache(maxsize=1)
def _installed():
    """{(family, fontconfig weight): (file, index)} of every installed face, from one fc-list call."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return {}
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [fc_list, "--format", "%{family}\t%{weight}\t%{file}\t%{index}\n"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    faces = {}
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        families, weight, path, index = parts
        try:
            weights = [int(w) for w in weight.strip("[]").split()] or [80]
            index = int(index or 0)
        except ValueError:
            continue
        for family in families.split(","):
            for w in weights:
                faces.setdefault((family.strip(), w), (path, index))
    return faces


def _find(face):
    if face.shipped:
        path = SHIPPED / face.shipped
        return (str(path), 0) if path.is_file() else None
    return _installed().get((face.css_family, _FC_WEIGHT.get(face.weight, 80)))


@lru_cache(maxsize=16)
def _resolve_all(stacks):
    out = {}
    for stack in stacks:
        for face in stack.faces:
            found = _find(face)
            if found:
                out[stack.key] = Resolved(stack, face, *found)
                break
    return out


def resolved():
    """{stack key: Resolved} for every stack that has an installed face."""
    return _resolve_all(_stacks())


def face_for(key):
    return resolved().get(key)


def missing_fonts():
    """The stacks with no installed face, each named with the faces it tried."""
    found = resolved()
    return [
        f"{stack.label} ({', '.join(face.name for face in stack.faces)})"
        for stack in _stacks()
        if stack.key not in found
    ]


def faces_in_use():
    """{stack label: face name} for /healthz and the system check."""
    return {r.stack.label: r.face.name for r in resolved().values()}


def css():
    """@font-face rules for the shipped faces and one class-free rule per role, for PDF stylesheets.

    Sets CSS custom properties is not an option (WeasyPrint has them, but the Django template
    inlines the values anyway); the templates use ``{{ fonts.fangsong }}`` etc. from ``context()``.
    """
    rules = []
    for r in resolved().values():
        if r.face.shipped:
            rules.append(
                f'@font-face {{ font-family: "{r.face.css_family}"; '
                f'src: url("{Path(r.path).as_uri()}"); font-weight: {r.face.weight}; }}'
            )
    return "\n".join(rules)


def context():
    """What the PDF templates need: ``fonts.css`` and, per role, ``family`` and ``weight``."""
    out = {
        "css": mark_safe(css()),  # noqa: S308 - built from our constants and file paths
        # Filled in by pdf.render_html with the spacing classes the document used.
        "spacing": mark_safe("/*lc-spacing*/"),  # noqa: S308 - a CSS comment
    }
    for stack in _stacks():
        r = resolved().get(stack.key)
        face = r.face if r else stack.faces[-1]
        out[stack.key] = {
            # Our own constants, printed into <style>: not HTML-escaped.
            "family": mark_safe(f'"{face.css_family}", {stack.generic}'),  # noqa: S308
            "weight": face.weight,
            "name": face.name,
        }
    return out
