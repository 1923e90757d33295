"""What the online commands (`status`, `market check`, `faq sync`) share: the network policy, the
pack's endpoints, the HTTP client, the one-time privacy notice and the progress bar."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from supportcli.core.errors import SupportCliError
from supportcli.core.i18n import t
from supportcli.term.context import AppContext

if TYPE_CHECKING:
    from supportcli.core.net.http import HttpClient, Timeouts
    from supportcli.core.net.policy import NetworkPolicy
    from supportcli.core.pack import OnlineEndpoints

# Tests shorten these; the defaults are in supportcli.core.net.http.
TIMEOUTS: Timeouts | None = None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def network_policy(app_ctx: AppContext) -> NetworkPolicy:
    """The user's choice for this run: commands the user types go online unless `--offline` or
    `config set network off` forbids it."""
    from supportcli.core.net.policy import NetworkPolicy

    return NetworkPolicy(allowed=app_ctx.settings.network_enabled)


def endpoints(app_ctx: AppContext) -> OnlineEndpoints:
    pack = app_ctx.pack()
    if pack.manifest.online is None:
        raise SupportCliError("online.no_endpoints", pack=pack.id)
    return pack.manifest.online


@contextmanager
def client(app_ctx: AppContext) -> Iterator[HttpClient]:
    """An HTTP client under the user's policy; the privacy notice first, the first time ever."""
    from supportcli.core.net.http import HttpClient, Timeouts
    from supportcli.core.online.notice import notice_due, remember_notice

    policy = network_policy(app_ctx)
    if policy.allowed and notice_due(app_ctx.paths.data_dir):
        app_ctx.terminal.error(t("online.privacy_notice"))
        remember_notice(app_ctx.paths.data_dir, utc_now())
    with HttpClient(policy, timeouts=TIMEOUTS or Timeouts()) as http:
        yield http


@contextmanager
def progress_bar(app_ctx: AppContext, label: str) -> Iterator[Callable[[str, int, int | None], None]]:
    """A progress bar on stderr when it is a terminal; otherwise a callback that does nothing."""
    if not app_ctx.terminal.stderr_isatty:
        yield lambda name, done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    with Progress(
        TextColumn(label), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=app_ctx.terminal.console(err=True), transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def advance(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=total)
            bar.update(tasks[name], completed=done, total=total)

        yield advance
