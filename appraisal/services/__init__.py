"""Every change of an appraisal, notice, veto or title goes through one of these functions.

Each transition checks the role and the scope, locks the row(s) with
``select_for_update``, checks the current state (a state that has moved on
raises ``AppraisalChanged``: two people acting at once get exactly one
transition), writes the new state and an append-only event.

The functions live in modules named for the stage they serve; this package
re-exports them so that callers keep writing ``services.appraisal_submit``.
"""

from appraisal.services.calendar import (  # noqa: F401, E402
    holiday_delete,
    holiday_save,
)
from appraisal.services.checks import (  # noqa: F401
    appraisal_county_recheck,
    appraisal_request_recheck,
    appraisal_return,
    appraisal_township_check,
)
from appraisal.services.common import (  # noqa: F401
    COUNTY_CHECKERS,
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAGIC,
    SATISFACTION_OPEN,
    SUBJECT_ROLE,
    Action,
    AppraisalChanged,
    Status,
    Tier,
    appraisal_result,
    parse_points,
)
from appraisal.services.expiry import (  # noqa: F401
    EXPIRE_SQL,
    EXPIRY_CHUNK,
    REMINDER_DAYS,
    title_expire,
    title_send_reminders,
)
from appraisal.services.notices import (  # noqa: F401
    notice_send_ended,
    objection_handle,
    objection_record,
    public_notice_open,
    public_notice_withdraw,
)
from appraisal.services.ratings import (  # noqa: F401
    rating_record,
    survey_record,
)
from appraisal.services.rubrics import (  # noqa: F401
    campaign_save,
    indicator_delete,
    indicator_save,
    rubric_copy_forward,
    rubric_new_version,
    rubric_seed_default,
    rubric_update,
    star_update,
)
from appraisal.services.self_report import (  # noqa: F401
    appraisal_save_self,
    appraisal_submit,
    eligibility_preview,
    evidence_add,
    evidence_remove,
    fills_in_for_village,
    validate_evidence_file,
)
from appraisal.services.start import (  # noqa: F401
    appraisal_start,
    campaign_open_appraisals,
)
from appraisal.services.titles import (  # noqa: F401
    add_years,
    appraisal_approve,
    title_revoke,
    title_withdraw_star,
    veto_record,
)
