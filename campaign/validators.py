"""Validators shared by every app: names of places, organisations, people, campaigns and documents.

A name is printed on certificates and briefings, put in download file names and written into Excel
exports. So it may not carry:

- control characters (C0 and C1, DEL), tabs and line breaks: they break a printed line or a file
  name and hide text;
- text-direction marks and overrides (U+202E turned "村12" around in a PDF and in a file name);
- a leading ``=``, ``+``, ``-`` or ``@``: a spreadsheet program may read the cell as a formula
  (the exports also write every text cell as text, so this is a second line of defence).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORMULA_START = ("=", "+", "-", "@")

CONTROL_MESSAGE = _("A name cannot contain tabs, line breaks, control characters or text-direction marks.")
FORMULA_MESSAGE = _("A name cannot begin with =, +, - or @ (a spreadsheet would read it as a formula).")


def name_problem(value):
    """The message for a bad name, or None: for callers that check many values fast (the importer)."""
    if NAME_FORBIDDEN.search(value):
        return CONTROL_MESSAGE
    if value.lstrip().startswith(FORMULA_START):
        return FORMULA_MESSAGE
    return None


@deconstructible(path="campaign.validators.NameValidator")
class NameValidator:
    def __call__(self, value):
        if not isinstance(value, str) or not value:
            return
        problem = name_problem(value)
        if problem is not None:
            code = "name_control" if problem is CONTROL_MESSAGE else "name_formula"
            raise ValidationError(problem, code=code)

    def __eq__(self, other):
        return isinstance(other, NameValidator)

    def __hash__(self):
        return hash(type(self))


validate_name = NameValidator()
