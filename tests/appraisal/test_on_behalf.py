"""The township fills in a village's self-report for it (DESIGN.md role table)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal import services
from appraisal.models import Appraisal, AppraisalEvent, Evidence, Score
from tests.appraisal import factories as af

S = Appraisal.Status
PDF = b"%PDF-1.4 test evidence"


def _post(appraisal, **extra):
    data = {}
    for indicator_id, (points, remark) in af.full_scores(appraisal).items():
        data[f"score_{indicator_id}"] = str(points)
        data[f"remark_{indicator_id}"] = remark
    data.update(extra)
    return data


def test_township_fills_in_and_submits_for_its_village(world, campaign, login):
    appraisal = af.start(campaign, world.a1v1)
    client = login(world.tom)
    queue = client.get(reverse("appraisal:township_queue"))
    fill_url = reverse("appraisal:self_report", args=[appraisal.pk])
    assert fill_url in queue.content.decode()  # the entry point on the work queue
    assert client.get(fill_url).status_code == 200
    first = af.indicators(appraisal)[0]
    upload = SimpleUploadedFile("会议记录.pdf", PDF, content_type="application/pdf")
    response = client.post(
        fill_url, {**_post(appraisal), f"file_{first.id}": upload, "self_report": "代填", "action": "save"}
    )
    assert response.status_code == 302
    appraisal = af.reload(appraisal)
    assert appraisal.self_report == "代填" and appraisal.self_points == Decimal("100")
    assert Score.objects.filter(
        appraisal=appraisal, tier=Score.Tier.SELF, updated_by=world.tom
    ).count() == len(af.indicators(appraisal))
    assert Evidence.objects.get(appraisal=appraisal).uploaded_by == world.tom
    response = client.post(fill_url, _post(appraisal, action="submit"))
    assert response.status_code == 302
    assert af.reload(appraisal).status == S.SUBMITTED
    events = list(AppraisalEvent.objects.filter(appraisal=appraisal).exclude(action="created").order_by("id"))
    assert [(e.action, e.actor, e.on_behalf) for e in events] == [
        ("saved", world.tom, True),
        ("evidence_added", world.tom, True),
        ("submitted", world.tom, True),
    ]
    page = client.get(reverse("appraisal:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert page.count('data-testid="on-behalf"') == 3
    assert "由乡镇代村填报" in page  # "filled in by the township on behalf of the village"


def test_township_of_another_township_gets_404(world, campaign, login, tom2):
    appraisal = af.start(campaign, world.a1v1)
    client = login(tom2)
    url = reverse("appraisal:self_report", args=[appraisal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _post(appraisal, action="submit")).status_code == 404
    assert client.post(reverse("appraisal:self_report_preview", args=[appraisal.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.appraisal_save_self(appraisal=appraisal, user=tom2, scores=af.full_scores(appraisal))
    with pytest.raises(PermissionDenied):
        services.appraisal_submit(appraisal=appraisal, user=tom2)
    assert af.reload(appraisal).status == S.DRAFT
    assert not Score.objects.filter(appraisal=appraisal).exists()
    assert not AppraisalEvent.objects.filter(appraisal=appraisal, actor=tom2).exists()


@pytest.mark.parametrize("persona", ["alice", "olga", "leo", "dora", "carl", "bob"])
def test_other_roles_still_refused(world, campaign, persona):
    appraisal = af.start(campaign, world.a1v1)
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        services.appraisal_save_self(appraisal=appraisal, user=user, scores=af.full_scores(appraisal))
    assert not Score.objects.filter(appraisal=appraisal).exists()


def test_township_cannot_fill_in_once_submitted_or_for_departments(world, campaign, login):
    appraisal = af.start(campaign, world.a1v1)
    services.appraisal_save_self(appraisal=appraisal, user=world.vera, scores=af.full_scores(appraisal))
    services.appraisal_submit(appraisal=appraisal, user=world.vera)
    client = login(world.tom)
    assert 'data-testid="fill-in"' not in client.get(reverse("appraisal:township_queue")).content.decode()
    with pytest.raises(services.AppraisalChanged):
        services.appraisal_save_self(appraisal=appraisal, user=world.tom, scores=af.full_scores(appraisal))
    department = af.start(campaign, world.ad1)
    with pytest.raises(PermissionDenied):
        services.appraisal_save_self(appraisal=department, user=world.tom, scores=af.full_scores(department))


def test_village_secretary_still_edits_its_own_draft(world, campaign, login):
    appraisal = af.start(campaign, world.a1v1)
    services.appraisal_save_self(
        appraisal=appraisal, user=world.tom, scores=af.full_scores(appraisal, fraction=Decimal("0.5"))
    )
    client = login(world.vera)
    url = reverse("appraisal:self_report", args=[appraisal.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _post(appraisal, action="submit")).status_code == 302
    assert af.reload(appraisal).status == S.SUBMITTED
    submitted = AppraisalEvent.objects.get(appraisal=appraisal, action="submitted")
    assert (submitted.actor, submitted.on_behalf) == (world.vera, False)
    page = client.get(reverse("appraisal:appraisal_detail", args=[appraisal.pk])).content.decode()
    assert page.count('data-testid="on-behalf"') == 1  # only the township's save
