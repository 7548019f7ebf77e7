"""The subject's own report: self-scores, narrative, evidence, the eligibility preview and submission."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appraisal.models import (
    Evidence,
    Rubric,
    Track,
)
from appraisal.selectors import rubric_structure
from appraisal.services import handoffs
from appraisal.services.common import (
    EVIDENCE_EXTENSIONS,
    EVIDENCE_MAGIC,
    SUBJECT_ROLE,
    Action,
    Status,
    Tier,
    _event,
    _lock,
    _recompute,
    _require_role,
    _require_scope,
    _set_status,
    _write_scores,
    appraisal_result,
)
from campaign.files import clean_filename
from campaign.roles import Role

# ---------------------------------------------------------------- self-report


def fills_in_for_village(user, appraisal):
    """A township user filling in a village of its own township (many secretaries are not at ease
    with computers: DESIGN.md's role table has the township fill in village self-reports)."""
    return (
        appraisal.track == Track.VILLAGE
        and user.role == Role.TOWNSHIP
        and user.township_id is not None
        and appraisal.township_id == user.township_id
    )


def _require_subject(user, appraisal):
    """The subject itself, or its township for a village; returns whether it acts on the subject's behalf."""
    on_behalf = fills_in_for_village(user, appraisal)
    if not on_behalf:
        _require_role(user, SUBJECT_ROLE[appraisal.track])
    _require_scope(user, appraisal)
    return on_behalf


@transaction.atomic
def appraisal_save_self(*, appraisal, user, scores, self_report=None, ip=None):
    """Save the self-assessment (any part of it) of a draft; nobody edits a submitted report."""
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    changed = _write_scores(appraisal, Tier.SELF, scores, user, require_all=False)
    if self_report is not None and self_report != appraisal.self_report:
        appraisal.self_report = self_report
        appraisal.save(update_fields=["self_report", "updated_at"])
        changed += 1
    if changed:
        _recompute(appraisal)
        _event(
            appraisal,
            user,
            Action.SAVED,
            comment=ngettext("%(n)s change", "%(n)s changes", changed) % {"n": changed},
            ip=ip,
            on_behalf=on_behalf,
        )
    return appraisal


def validate_evidence_file(upload):
    """Refuse files of a forbidden type or over ``settings.EVIDENCE_MAX_BYTES``."""
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            {"file": _("Upload a PDF, JPG, PNG, DOCX or XLSX file.")},
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
            }
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(m) for m in EVIDENCE_MAGIC[suffix]):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    return suffix


@transaction.atomic
def evidence_add(*, appraisal, indicator, upload, user, ip=None):
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    if indicator.star.rubric_id != appraisal.rubric_id:
        raise ValidationError(_("This indicator is not part of the appraisal's rubric."))
    suffix = validate_evidence_file(upload)
    item = Evidence(
        appraisal=appraisal,
        indicator=indicator,
        original_name=clean_filename(upload.name),
        size=upload.size,
        content_type=EVIDENCE_EXTENSIONS[suffix],
        uploaded_by=user,
    )
    item.file.save(item.original_name, upload, save=False)
    item.full_clean()
    item.save()
    _event(appraisal, user, Action.EVIDENCE_ADDED, comment=item.original_name, ip=ip, on_behalf=on_behalf)
    return item


@transaction.atomic
def evidence_remove(*, evidence, user, ip=None):
    appraisal = evidence.appraisal
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    name = evidence.original_name
    storage, path = evidence.file.storage, evidence.file.name
    thumbnail = f"thumbnails/{path}.jpg"
    evidence.delete()

    def remove_files():
        storage.delete(path)
        if storage.exists(thumbnail):
            storage.delete(thumbnail)

    transaction.on_commit(remove_files)
    _event(appraisal, user, Action.EVIDENCE_REMOVED, comment=name, ip=ip, on_behalf=on_behalf)


def eligibility_preview(appraisal):
    """What the self-scores would earn, and what stops a submission: missing scores or evidence, vetoes."""
    from appraisal.selectors import vetoes_on_record

    structure = rubric_structure(appraisal.rubric)
    result = appraisal_result(appraisal, Tier.SELF, structure=structure)
    with_evidence = set(Evidence.objects.filter(appraisal=appraisal).values_list("indicator_id", flat=True))
    missing_scores = [i for star in result.stars for i in star.missing]
    missing_evidence = [
        i
        for star in structure
        for i in star.indicators.all()
        if i.evidence_required and i.id not in with_evidence
    ]
    vetoes = list(vetoes_on_record(appraisal))
    return {
        "result": result,
        "missing_scores": missing_scores,
        "missing_evidence": missing_evidence,
        "vetoes": vetoes,
        "complete": not missing_scores and not missing_evidence,
    }


@transaction.atomic
def appraisal_submit(*, appraisal, user, ip=None, comment=""):
    """draft → submitted, only when every indicator is self-scored and required evidence is present."""
    on_behalf = _require_subject(user, appraisal)
    appraisal = _lock(appraisal, (Status.DRAFT,))
    preview = eligibility_preview(appraisal)
    problems = []
    if preview["missing_scores"]:
        problems.append(
            _("Score every indicator before submitting (%(n)s missing).")
            % {"n": len(preview["missing_scores"])}
        )
    if preview["missing_evidence"]:
        problems.append(
            _("Evidence is required for: %(list)s.")
            % {"list": "; ".join(i.text[:30] for i in preview["missing_evidence"])}
        )
    if problems:
        raise ValidationError(problems)
    rubric = appraisal.rubric
    if not rubric.frozen:
        Rubric.objects.filter(pk=rubric.pk).update(frozen=True)
    _set_status(appraisal, Status.SUBMITTED, submitted_at=timezone.now(), return_reason="")
    event = _event(
        appraisal,
        user,
        Action.SUBMITTED,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
        comment=comment,
        ip=ip,
        on_behalf=on_behalf,
    )
    handoffs.submitted(appraisal, event)
    return appraisal
