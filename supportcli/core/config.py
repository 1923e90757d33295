"""The user's settings file: a TOML file under the platformdirs config dir (or `SUPPORTCLI_CONFIG`),
written with tomli-w. Each key's value is checked by its own parser; what the settings of one run
are (file, environment, command line) is decided by `supportcli.core.settings`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.errors import InputError, UsageError
from supportcli.core.paths import AppPaths


@dataclass(frozen=True)
class KeySpec:
    name: str
    allowed_key: str  # message key describing what is allowed
    parse: Callable[[str], Any]
    default: Callable[[], Any]


def _bad(key: str) -> InputError:
    from supportcli.core.i18n import t

    return InputError(key, "config", "errors.config_value", allowed=t(f"config.allowed.{key}"))


def _parse_language(value: str) -> str:
    from supportcli.core.i18n import parse_language

    if value.strip().lower() == "auto":
        return "auto"
    lang = parse_language(value)  # locale-style names are fine too: zh-CN, zh_TW, en-US …
    if lang is None:
        raise _bad("language")
    return lang


def _parse_pack(value: str) -> str:
    """A pack id (whether such a pack is installed is checked where it is used, not here)."""
    v = value.strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", v):
        raise _bad("pack")
    return v


def _parse_name(value: str) -> str:
    from supportcli.core.text import clean

    v = clean(value, multiline=False).strip()
    if len(v) > 200:
        raise _bad("name")
    return v


def _parse_email(value: str) -> str:
    """Empty, or an address the flows' e-mail question would accept (the same check)."""
    from supportcli.core.flows.fields.ids import normalize_email

    v = value.strip()
    if not v:
        return v
    address = normalize_email(v)
    if address is None:
        raise _bad("email")
    return address


def _parse_timezone(value: str) -> str:
    from supportcli.core.tz import is_valid_zone

    v = value.strip()
    if is_valid_zone(v):
        return v
    # "asia/shanghai", "utc": the same zone written in another case.
    from zoneinfo import available_timezones

    matches = [name for name in available_timezones() if name.lower() == v.lower()]
    if len(matches) == 1:
        return matches[0]
    raise _bad("timezone")


def _parse_editor(value: str) -> str:
    from supportcli.core.text import clean

    return clean(value, multiline=False).strip()


def _parse_paths(value: str) -> list[str]:
    import os

    parts = [p.strip() for p in re.split(rf"[,{re.escape(os.pathsep)}]", value) if p.strip()]
    folders = [Path(p).expanduser() for p in parts]
    if any(not folder.is_dir() for folder in folders):
        raise _bad("content_paths")
    return [str(folder.resolve()) for folder in folders]


def _parse_network(value: str) -> str:
    v = value.strip().lower()
    if v in ("on", "off"):
        return v
    raise _bad("network")


def _system_zone() -> str:
    from supportcli.core.tz import system_timezone_name

    return system_timezone_name()


KEYS: dict[str, KeySpec] = {
    spec.name: spec
    for spec in (
        KeySpec("language", "config.allowed.language", _parse_language, lambda: "auto"),
        KeySpec("pack", "config.allowed.pack", _parse_pack, lambda: "bitfinex"),
        KeySpec("name", "config.allowed.name", _parse_name, lambda: ""),
        KeySpec("email", "config.allowed.email", _parse_email, lambda: ""),
        KeySpec("timezone", "config.allowed.timezone", _parse_timezone, _system_zone),
        KeySpec("editor", "config.allowed.editor", _parse_editor, lambda: ""),
        KeySpec("content_paths", "config.allowed.content_paths", _parse_paths, list),
        KeySpec("network", "config.allowed.network", _parse_network, lambda: "on"),
    )
}


def unknown_key(key: str) -> UsageError:
    return UsageError("errors.config_unknown_key", key=key, allowed=", ".join(KEYS))


@dataclass
class Config:
    path: Path
    stored: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not know: kept

    def get(self, key: str) -> Any:
        if key not in KEYS:
            raise unknown_key(key)
        if key in self.stored:
            return self.stored[key]
        return KEYS[key].default()

    def is_set(self, key: str) -> bool:
        return key in self.stored

    def as_dict(self) -> dict[str, Any]:
        return {key: self.get(key) for key in KEYS}

    @property
    def language(self) -> str:
        return str(self.get("language"))

    @property
    def timezone(self) -> str:
        return str(self.get("timezone"))

    @property
    def content_paths(self) -> list[Path]:
        return [Path(p) for p in self.get("content_paths")]

    def parse(self, key: str, raw: str) -> Any:
        """`raw` checked and normalised for `key`, without storing it."""
        if key not in KEYS:
            raise unknown_key(key)
        return KEYS[key].parse(raw)

    def set(self, key: str, raw: str) -> Any:
        """Validate `raw` for `key`, store it and write the file. Returns the stored value."""
        value = self.parse(key, raw)
        self.stored[key] = value
        self.save()
        return value

    def unset(self, key: str) -> None:
        if key not in KEYS:
            raise unknown_key(key)
        self.stored.pop(key, None)
        self.save()

    def save(self) -> None:
        import tomli_w

        from supportcli.core.storage import atomic_write

        atomic_write(self.path, tomli_w.dumps({**self.extra, **self.stored}))


def load_config(paths: AppPaths) -> Config:
    """Read the config file; a missing file is an empty config. A broken one names file and line."""
    path = paths.config_file
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Config(path=path)
    except OSError as exc:
        raise UsageError("errors.config_unreadable", path=str(path), reason=str(exc)) from exc
    import tomllib  # only with a settings file: most runs have none (2 ms)

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError("errors.config_unreadable", path=str(path), reason=str(exc)) from exc
    stored: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            extra[key] = value  # a newer version's key: keep quiet, keep it in the file
            continue
        try:
            if key == "content_paths":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise _bad(key)
                stored[key] = [str(Path(v).expanduser()) for v in value]
            else:
                stored[key] = KEYS[key].parse(str(value))
        except InputError as exc:
            raise UsageError(
                "errors.config_bad_stored", path=str(path), key=key, allowed=exc.render()
            ) from exc
    return Config(path=path, stored=stored, extra=extra)
