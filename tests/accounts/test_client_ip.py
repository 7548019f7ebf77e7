"""One client_ip(): X-Forwarded-For is believed only from a configured trusted proxy."""

import ipaddress

import pytest
from django.utils import timezone

from campaign.net import client_ip


@pytest.fixture
def proxies(settings):
    def configure(*entries):
        settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(e, strict=False) for e in entries]

    configure()
    return configure


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ((), "203.0.113.5", None, "203.0.113.5"),
        ((), "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # no proxy configured: the header is ignored
        (("10.0.0.2",), "203.0.113.5", "1.2.3.4", "203.0.113.5"),  # not from the proxy: ignored
        (("10.0.0.2",), "10.0.0.2", "1.2.3.4", "1.2.3.4"),
        (("10.0.0.2",), "10.0.0.2", "9.9.9.9, 1.2.3.4", "1.2.3.4"),  # the client-written part is not believed
        (("10.0.0.0/8",), "10.0.0.2", "1.2.3.4, 10.0.0.9", "1.2.3.4"),  # two proxies of ours
        (("10.0.0.0/8",), "10.0.0.2", "10.0.0.7", "10.0.0.7"),  # only proxies: the farthest one
        (("10.0.0.2",), "10.0.0.2", "", "10.0.0.2"),
        (("10.0.0.2",), "10.0.0.2", "not-an-address", "10.0.0.2"),
        (("10.0.0.2",), "10.0.0.2", "2001:db8::1", "2001:db8::1"),
        ((), "", None, None),
    ],
)
def test_client_ip(rf, proxies, trusted, remote, forwarded, expected):
    proxies(*trusted)
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(rf.get("/", **headers)) == expected


def test_the_audit_trail_records_the_client_behind_the_proxy_and_ignores_a_forged_header(
    world, login, proxies
):
    from campaign.steering import services
    from campaign.steering.models import NoticeEvent

    notice = services.notice_issue(
        user=world.alice,
        township=world.a1,
        title="督办",
        items=["一", "二"],
        deadline=timezone.localdate() + __import__("datetime").timedelta(days=5),
        report_to="王科长",
    )
    first, second = notice.items.order_by("position")
    client = login(world.tom)
    url = "/steering/notices/{}/items/{}/"
    proxies("10.0.0.2")
    client.post(
        url.format(notice.pk, first.pk),
        {"done": "1"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    client.post(
        url.format(notice.pk, second.pk),
        {"done": "1"},
        REMOTE_ADDR="198.51.100.3",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    addresses = list(
        NoticeEvent.objects.filter(notice=notice).order_by("id").values_list("ip_address", flat=True)
    )
    assert addresses[-2:] == ["192.0.2.44", "198.51.100.3"]


def test_no_code_reads_remote_addr_or_the_forwarded_header_but_client_ip():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR).glob("**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or path.name == "net.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "REMOTE_ADDR" in text or "HTTP_X_FORWARDED_FOR" in text:
            offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert offenders == []
