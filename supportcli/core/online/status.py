"""Platform status: `GET {api_base}/v2/platform/status` answers `[1]` (operative) or `[0]` (maintenance).

During maintenance orders cannot be placed or cancelled; it usually lasts minutes to a couple of
hours. The API may also answer `["error", 20060, "maintenance"]`, which is read as maintenance.
Any failure (offline, unreachable, a malformed answer) gives `unknown` with the error, so a
caller — the `status` command, a flow's self-help step — can go on without the check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from supportcli.core.i18n import t
from supportcli.core.net.errors import ApiError, MalformedBodyError, NetError
from supportcli.core.net.http import HttpClient
from supportcli.core.net.policy import host_of
from supportcli.core.pack import OnlineEndpoints

STATUS_PATH = "/v2/platform/status"
MAINTENANCE_CODE = 20060  # Bitfinex's error code while the platform is in maintenance
Platform = Literal["operative", "maintenance", "unknown"]


@dataclass(frozen=True)
class PlatformStatus:
    platform: Platform
    checked_at: dt.datetime  # aware, UTC
    source: str  # the URL asked
    status_page: str
    error: NetError | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "platform": self.platform, "checked_at": self.checked_at.isoformat(timespec="seconds"),
            "source": self.source, "status_page": self.status_page,
            "error": self.error.render() if self.error is not None else None,
        }


def read_status(data: Any, host: str) -> Platform:
    """`[1]` or `[0]`; anything else is not the documented answer."""
    if isinstance(data, list) and len(data) == 1 and type(data[0]) is int and data[0] in (0, 1):
        return "operative" if data[0] == 1 else "maintenance"
    raise MalformedBodyError(host=host, detail=t("net.detail.shape", what="[1] / [0]"))


def check_status(client: HttpClient, endpoints: OnlineEndpoints, clock: Callable[[], dt.datetime]) -> PlatformStatus:
    url = endpoints.api_base + STATUS_PATH
    try:
        platform = read_status(client.get_json(url, max_bytes=4096), host_of(url))
    except ApiError as exc:
        if exc.code == MAINTENANCE_CODE:  # ["error", 20060, "maintenance"] is an answer too
            return PlatformStatus("maintenance", clock(), url, endpoints.status_page)
        return PlatformStatus("unknown", clock(), url, endpoints.status_page, exc)
    except NetError as exc:
        return PlatformStatus("unknown", clock(), url, endpoints.status_page, exc)
    return PlatformStatus(platform, clock(), url, endpoints.status_page)
