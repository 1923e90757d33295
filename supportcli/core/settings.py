"""The settings of one run, resolved once at the entry point into one frozen `Settings` value.

Each setting is taken from, the later winning: its default < the settings file < the environment
(`SUPPORTCLI_LANG`; `SUPPORTCLI_CONFIG` names the file itself) < the command line (`--lang`,
`--offline`, `--online`, `--pack`). The terminal layer builds the value and passes it down; the core
receives the values it needs and never reads the settings file or loads a pack by itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from supportcli.core.errors import UsageError
from supportcli.core.i18n import Lang, lang_from_environment, parse_language
from supportcli.core.tz import today_in

if TYPE_CHECKING:
    from supportcli.core.config import Config

ENV_LANG = "SUPPORTCLI_LANG"


@dataclass(frozen=True)
class CommandLine:
    """The global options, wherever they stand on the command line (taken out before parsing)."""

    lang: Lang | None = None
    offline: bool = False  # --offline: no request leaves the machine
    online: bool = False  # --online: a run without a terminal may go online where a flow offers it
    debug: bool = False  # --debug: tracebacks and timings on stderr
    quiet: bool = False  # -q/--quiet: results and errors only


@dataclass(frozen=True)
class PackChoice:
    """Which content pack to use: `--pack PATH` for this run, else the configured id among the packs found."""

    name: str
    path: Path | None = None
    content_paths: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Settings:
    lang: Lang
    pack: PackChoice
    zone: str  # IANA name: times typed without a zone are in it, "today" is its day
    name: str  # the user's name, for drafts
    email: str  # the From: of e-mail drafts
    editor: str  # the configured editor command ("" : $VISUAL, then $EDITOR)
    now: dt.datetime  # when the run started (aware, UTC): one clock for the whole run
    network_enabled: bool = True  # `config set network off` or `--offline` forbid every request
    online: bool = False  # `--online`
    zone_configured: bool = False  # the zone comes from the settings file (not the system's)

    @property
    def today(self) -> dt.date:
        """Today's date in the user's zone."""
        return today_in(self.zone, self.now)


def env_language(environ: Mapping[str, str]) -> Lang | None:
    """`SUPPORTCLI_LANG` (zh, en or auto); None when it is unset, empty or auto."""
    raw = environ.get(ENV_LANG, "").strip()
    if not raw or raw.lower() == "auto":
        return None
    lang = parse_language(raw)
    if lang is None:
        raise UsageError("errors.env_value", name=ENV_LANG, value=raw, allowed="zh, en, auto")
    return lang


def configured_language(configured: str, environ: Mapping[str, str]) -> Lang:
    """The `language` setting (`zh`, `en`, or `auto`: the locale's)."""
    lang = parse_language(configured) if configured != "auto" else None
    return lang or lang_from_environment(environ)


def resolve_language(line: CommandLine, environ: Mapping[str, str], config: Config | None) -> Lang:
    """The command line, else the environment, else the settings file, else the locale.

    `config` is read only when neither `--lang` nor `SUPPORTCLI_LANG` decides (it may be None then
    only if the caller knows one of them is set).
    """
    if line.lang is not None:
        return line.lang
    from_env = env_language(environ)
    if from_env is not None:
        return from_env
    return configured_language(config.language if config is not None else "auto", environ)


def pack_choice(config: Config, pack_path: Path | None = None) -> PackChoice:
    """The pack setting alone (`--pack PATH`, else the configured id and content paths): what a command
    that only needs the pack reads, without resolving the other settings (the zone costs a time-zone
    lookup)."""
    return PackChoice(name=str(config.get("pack")), path=pack_path, content_paths=tuple(config.content_paths))


def resolve_settings(
    config: Config, line: CommandLine, *, environ: Mapping[str, str], now: dt.datetime, lang: Lang,
    pack_path: Path | None = None,
) -> Settings:
    """Every setting of this run, from the settings file, the environment and the command line."""
    return Settings(
        lang=lang,
        pack=pack_choice(config, pack_path),
        zone=config.timezone,
        name=str(config.get("name")),
        email=str(config.get("email")),
        editor=str(config.get("editor")),
        now=now.astimezone(dt.UTC),
        network_enabled=config.get("network") == "on" and not line.offline,
        online=line.online,
        zone_configured=config.is_set("timezone"),
    )
