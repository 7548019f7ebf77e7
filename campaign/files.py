"""File names that are safe to store, show and send in a download.

An uploaded file's name is whatever the sender's computer called it, and a download's name is
built from names typed in the app. Either could carry a right-to-left override (U+202E makes
"报告\u202efdp.exe" read as "报告exe.pdf"), zero-width or other format characters (Unicode
category Cf), control characters or a path. ``clean_filename`` drops all of them.
"""

import unicodedata
from pathlib import PurePosixPath

_DROP = {"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"}


def clean_filename(name, *, default="file", max_length=200):
    """``name`` without a directory, without control or format characters, at most ``max_length`` long.

    The extension is kept when the name is cut.
    """
    text = unicodedata.normalize("NFC", str(name or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROP)
    text = PurePosixPath(text.replace("\\", "/")).name.strip().lstrip(".")
    if not text:
        return default
    if len(text) > max_length:
        path = PurePosixPath(text)
        suffix = path.suffix if len(path.suffix) <= 16 else ""
        text = path.name[: max_length - len(suffix)] + suffix
    return text
