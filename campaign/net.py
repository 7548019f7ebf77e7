"""The client's address, the same for the audit trail and the login throttle.

Behind a reverse proxy every request comes from the proxy, and the client's address is in
``X-Forwarded-For``. That header is whatever the sender writes, so it is believed only when the
request itself comes from a proxy listed in ``TRUSTED_PROXIES`` (addresses or networks,
README "Configuration"); otherwise a forged header could fake the audit trail or slip past a
login lock. Hops are read from the right: each proxy appends the address it received from, so
the first address that is not one of our proxies is the client.
"""

import ipaddress

from django.conf import settings


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address):
    return address is not None and any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request):
    """The address of the person behind ``request`` (a string), or None when unknown."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    hops = [_address(hop) for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop is None:
            # A malformed entry: nothing to its left can be believed either.
            break
        if not _trusted(hop):
            return str(hop)
        remote = hop
    return str(remote)
