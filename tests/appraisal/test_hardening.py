"""Veto evidence through a scoped view; a wrong role's POST to a self-report is 403, not "reload"."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisal.models import AppraisalEvent, Score, VetoEvent
from tests.appraisal import factories as af

PDF = b"%PDF-1.4 veto evidence"


def record_veto(world, campaign, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = login(world.alice).post(
        reverse("appraisal:veto_create") + f"?campaign={campaign.pk}",
        {
            "subject": f"village:{world.a1v1.pk}",
            "kind": VetoEvent.Kind.SAFETY_ACCIDENT,
            "occurred_on": "2026-05-01",
            "description": "发生重大安全事故",
            "evidence": SimpleUploadedFile("事故报告.pdf", PDF),
        },
    )
    assert response.status_code == 302
    return VetoEvent.objects.get()


def test_veto_evidence_is_downloaded_through_a_scoped_view(world, campaign, login, settings, tmp_path):
    veto = record_veto(world, campaign, login, settings, tmp_path)
    url = reverse("appraisal:veto_evidence", args=[veto.pk])
    client = login(world.alice)
    page = client.get(reverse("appraisal:veto_list")).content.decode()
    assert url in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    # Scope decides, as for other evidence: the county's leader yes, the other county no.
    assert login(world.leo).get(url).status_code == 200
    assert login(world.bob).get(url).status_code == 404
    assert login(world.dora).get(url).status_code == 404


def test_the_admin_links_to_the_view_not_to_media(world, campaign, login, settings, tmp_path):
    veto = record_veto(world, campaign, login, settings, tmp_path)
    admin_page = reverse("admin:appraisal_vetoevent_change", args=[veto.pk])
    page = login(world.alice).get(admin_page).content.decode()
    assert reverse("appraisal:veto_evidence", args=[veto.pk]) in page
    assert "/media/" not in page


def test_a_wrong_role_posting_a_self_report_gets_403(world, campaign, login):
    appraisal = af.start(campaign, world.a1v1)
    first = af.indicators(appraisal)[0]
    url = reverse("appraisal:self_report", args=[appraisal.pk])
    for persona in ("carl", "leo", "olga", "alice"):
        response = login(getattr(world, persona)).post(url, {f"score_{first.id}": "5", "action": "save"})
        assert response.status_code == 403, persona
    assert not Score.objects.exists()
    assert not AppraisalEvent.objects.filter(appraisal=appraisal, action="self_saved").exists()


def test_the_right_role_after_a_change_still_gets_reload(world, campaign, login):
    appraisal = af.submitted(campaign, world.a1v1, world.vera)
    first = af.indicators(appraisal)[0]
    response = login(world.vera).post(
        reverse("appraisal:self_report", args=[appraisal.pk]), {f"score_{first.id}": "1", "action": "save"}
    )
    assert response.status_code == 302
