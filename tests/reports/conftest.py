import shutil
import subprocess

import pytest

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
