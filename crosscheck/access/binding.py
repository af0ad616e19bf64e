"""The secure default: without keys the service answers on loopback only."""

from __future__ import annotations

import ipaddress

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the service on this machine."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:  # another host name: it may resolve to anything, so it is not loopback
        return False


def bind_refusal(*, host: str, has_active_keys: bool) -> str | None:
    """Why binding ``host`` is refused (no keys and not loopback), or None if it is allowed."""
    if has_active_keys or is_loopback(host):
        return None
    return (
        f"refusing to listen on {host}: no API keys exist, so anyone who reaches the server "
        "could read and write. Create one first (crosscheck keys create --scope write --name "
        "NAME) or listen on 127.0.0.1."
    )
