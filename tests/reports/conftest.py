import datetime
import shutil
import subprocess
from decimal import Decimal

import pytest

from appraisal import services as appraisal_services
from appraisal.models import Appraisal, Title, Track, VetoEvent
from tests import factories as f


@pytest.fixture
def campaign(world):
    return f.CampaignFactory(county=world.county_a, year=2026, name="2026年度三级联创")


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


@pytest.fixture
def poppler():
    """pdftotext / pdffonts / pdfinfo on a PDF path."""

    class Poppler:
        @staticmethod
        def text(path):
            return subprocess.run(
                [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout

        @staticmethod
        def fonts(path):
            return subprocess.run(
                [_tool("pdffonts"), str(path)], capture_output=True, text=True, check=True
            ).stdout

        @staticmethod
        def pages(path):
            out = subprocess.run(
                [_tool("pdfinfo"), str(path)], capture_output=True, text=True, check=True
            ).stdout
            return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))

        @staticmethod
        def page_text(path, page):
            return subprocess.run(
                [_tool("pdftotext"), "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout

    return Poppler()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test writes its PDFs in a folder of its own (ids restart with every test database)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The hand-counted county (fixture ``county``) the report's figures are checked against.
#
# County A on 2026-06-15 (self-report and township-check deadlines passed):
#   甲一镇: 东村 approved ★5 · 西村 submitted (late: township check passed) · the township re-checked ★4
#   甲二镇: 南村 not started (late) · the township still a draft (late)
#   departments: 农业局 submitted · 水利局 vetoed (one veto event)
#   county B: 北村 approved (never counted)
# Titles of county A: 东村 valid (2026) · 西村 valid until 2026-08-01 (expiring) · 南村 expired
# · 甲一镇 revoked.
#

S = Appraisal.Status


def _appraisal(
    campaign, track, status, *, township=None, village=None, department=None, stars=0, points=None
):
    rubric = campaign.rubrics.get(track=track)
    return Appraisal.objects.create(
        campaign=campaign,
        rubric=rubric,
        track=track,
        county=campaign.county,
        township=township,
        village=village,
        department=department,
        status=status,
        star_count=stars,
        final_points=points,
    )


def _title(campaign, *, village=None, township=None, status=Title.Status.VALID, named, until, **extra):
    return Title.objects.create(
        campaign=campaign,
        track=Track.VILLAGE if village else Track.TOWNSHIP,
        county=campaign.county,
        township=township or village.township,
        village=village,
        star_count=5,
        stars=[],
        named_on=named,
        valid_until=until,
        status=status,
        **extra,
    )


@pytest.fixture
def county(world):
    campaign = f.CampaignFactory(
        county=world.county_a,
        year=2026,
        self_report_deadline=datetime.date(2026, 4, 30),
        township_check_deadline=datetime.date(2026, 5, 31),
        county_recheck_deadline=datetime.date(2026, 6, 30),
        approval_deadline=datetime.date(2026, 7, 31),
    )
    appraisal_services.rubric_seed_default(campaign=campaign)
    old = f.CampaignFactory(county=world.county_a, year=2023)
    campaign_b = f.CampaignFactory(county=world.county_b, year=2026)
    appraisal_services.rubric_seed_default(campaign=campaign_b)

    V, T, D = Track.VILLAGE, Track.TOWNSHIP, Track.DEPARTMENT
    _appraisal(campaign, V, S.APPROVED, township=world.a1, village=world.a1v1, stars=5, points=Decimal(95))
    west = _appraisal(campaign, V, S.SUBMITTED, township=world.a1, village=world.a1v2)
    _appraisal(campaign, T, S.RECHECKED, township=world.a1, stars=4, points=Decimal(88))
    _appraisal(campaign, T, S.DRAFT, township=world.a2)
    _appraisal(campaign, D, S.SUBMITTED, department=world.ad1)
    _appraisal(campaign, D, S.VETOED, department=world.ad2)
    VetoEvent.objects.create(
        campaign=campaign,
        county=world.county_a,
        track=D,
        department=world.ad2,
        kind=VetoEvent.Kind.SAFETY_ACCIDENT,
        occurred_on=datetime.date(2026, 5, 3),
        description="事故",
        recorded_by=world.alice,
    )
    _appraisal(campaign_b, V, S.APPROVED, township=world.b1, village=world.b1v1, stars=5, points=Decimal(99))

    _title(campaign, village=world.a1v1, named=datetime.date(2026, 6, 10), until=datetime.date(2029, 6, 10))
    _title(old, village=world.a1v2, named=datetime.date(2023, 8, 1), until=datetime.date(2026, 8, 1))
    _title(
        old,
        village=world.a2v1,
        status=Title.Status.EXPIRED,
        named=datetime.date(2023, 1, 1),
        until=datetime.date(2026, 1, 1),
        expired_on=datetime.date(2026, 1, 1),
    )
    _title(
        old,
        township=world.a1,
        status=Title.Status.REVOKED,
        named=datetime.date(2023, 8, 1),
        until=datetime.date(2026, 8, 1),
        revoked_on=datetime.date(2025, 3, 1),
        revoke_reason="严重问题",
    )
    return campaign, west
