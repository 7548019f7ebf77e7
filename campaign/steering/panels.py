"""What steering adds to the appraisal's pages (see campaign/panels.py)."""

from django.utils.translation import gettext as _

from campaign.panels import Panel
from campaign.steering.models import Classification
from campaign.steering.ranking import classify
from campaign.steering.services import settings_for


def approval_lagging(*, request, obj, appraisals=(), **extra):
    """On the approval page: the subjects under notice classified lagging, by name, with their points."""
    if obj is None:
        return None
    settings = settings_for(obj)
    lagging = [a for a in appraisals if classify(a.final_points, settings) == Classification.LAGGING]
    if not lagging:
        return None
    names = "、".join(f"{a.subject}（{a.final_points.normalize():f}）" for a in lagging)
    return Panel(
        "steering/_approval_warning.html",
        {
            "key": "lagging",
            "text": _("Classified lagging (below %(points)s points): %(list)s.")
            % {"points": f"{settings.lagging_below.normalize():f}", "list": names},
        },
        order=10,
    )
