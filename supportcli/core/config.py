"""The user's settings file: a TOML file under the platformdirs config dir (or `SUPPORTCLI_CONFIG`),
written with tomli-w. Each key's value is checked by its own parser, bounded in length, and passes
the secret guard before it is stored (a refusal names the setting); what the settings of one run are
(file, environment, command line) is decided by `supportcli.core.settings`.

`load_config(paths)` refuses a damaged file (one clear line naming it). The `config` commands load it
with `lenient=True` instead, so that a file too broken to use can still be shown, unset, or reset:
`Config.damaged` says why it could not be read, `Config.problems` which stored values are bad and
`Config.secrets` which hold what looks like a secret.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from supportcli.core.errors import InputError, UsageError
from supportcli.core.paths import AppPaths, expand_user

MAX_RAW = 4096  # no setting is longer; a longer value is refused before it is parsed
MAX_CONFIG_BYTES = 1 << 20


@dataclass(frozen=True)
class KeySpec:
    name: str
    allowed_key: str  # message key describing what is allowed
    parse: Callable[[str], Any]
    default: Callable[[], Any]
    max_length: int = 1000  # characters, of the value as typed


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
    if len(v) > 320:  # RFC 5321: 64 for the local part, 255 for the domain, and the @
        raise _bad("email")
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
    if any(len(p) > 1000 or "\x00" in p for p in parts):
        raise _bad("content_paths")
    folders = [expand_user(p) for p in parts]
    try:
        if any(not folder.is_dir() for folder in folders):
            raise _bad("content_paths")
        return [str(folder.resolve()) for folder in folders]
    except (OSError, RuntimeError) as exc:  # a folder that cannot be searched, a loop of links
        raise _bad("content_paths") from exc


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
        KeySpec("language", "config.allowed.language", _parse_language, lambda: "auto", 64),
        KeySpec("pack", "config.allowed.pack", _parse_pack, lambda: "bitfinex", 64),
        KeySpec("name", "config.allowed.name", _parse_name, lambda: "", 200),
        KeySpec("email", "config.allowed.email", _parse_email, lambda: "", 320),
        KeySpec("timezone", "config.allowed.timezone", _parse_timezone, _system_zone, 64),
        KeySpec("editor", "config.allowed.editor", _parse_editor, lambda: "", 1000),
        KeySpec("content_paths", "config.allowed.content_paths", _parse_paths, list, MAX_RAW),
        KeySpec("network", "config.allowed.network", _parse_network, lambda: "on", 8),
    )
}


def unknown_key(key: str) -> UsageError:
    from supportcli.core.gate import echoable

    return UsageError("errors.config_unknown_key", key=echoable(key), allowed=", ".join(KEYS))


def parse_value(key: str, raw: str) -> Any:
    """`raw` checked for `key`: bounded in length, parsed, and passed by the secret guard."""
    if key not in KEYS:
        raise unknown_key(key)
    spec = KEYS[key]
    if len(raw) > spec.max_length:
        raise InputError(key, "config", "errors.config_too_long", length=len(raw), limit=spec.max_length)
    value = spec.parse(raw)
    from supportcli.core.gate import guard_text

    for text in value if isinstance(value, list) else [value]:
        # A setting is kept in plain text and copied into drafts: never a secret, nor what might be one.
        guard_text(key, str(text), field_type="text", message_key="errors.config_secret")
    return value


@dataclass
class Config:
    path: Path
    stored: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys this version does not know: kept
    damaged: str = ""  # why the file could not be read at all (lenient loading only)
    damaged_key: str = "errors.config_damaged"  # how to say it (errors.config_unreadable: an OS error)
    problems: dict[str, str] = field(default_factory=dict)  # key -> why its stored value is refused
    secrets: dict[str, str] = field(default_factory=dict)  # key (path) -> the kind of secret it seems to hold
    root: Path | None = None  # the app folder the file lives in (None: a file SUPPORTCLI_CONFIG names)

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
        return parse_value(key, raw)

    def set(self, key: str, raw: str) -> Any:
        """Validate `raw` for `key`, store it and write the file. Returns the stored value."""
        value = self.parse(key, raw)
        self._writable(key)
        self.stored[key] = value
        self._forget(key)
        self.save()
        return value

    def unset(self, key: str) -> None:
        if key not in KEYS:
            raise unknown_key(key)
        self._writable(key)
        self.stored.pop(key, None)
        self._forget(key)
        self.save()

    def _forget(self, key: str) -> None:
        self.extra.pop(key, None)  # a bad value kept as it was
        self.problems.pop(key, None)
        for where in [w for w in self.secrets if w == key or w.startswith((f"{key}.", f"{key}["))]:
            del self.secrets[where]

    def _writable(self, key: str) -> None:
        """Writing the file again must neither lose what a damaged file holds nor store a secret again."""
        if self.damaged:
            raise UsageError(self.damaged_key, path=str(self.path), reason=self.damaged)
        others = [where for where in self.secrets if not (where == key or where.startswith((f"{key}.", f"{key}[")))]
        if others:
            raise secret_stored(self.path, others[0], self.secrets[others[0]])

    def save(self) -> None:
        import tomli_w

        from supportcli.core.storage import atomic_write

        # SUPPORTCLI_CONFIG names a place the user chose: its folder is theirs (mode and links kept).
        atomic_write(self.path, tomli_w.dumps({**self.extra, **self.stored}), root=self.root,
                     private_dir=self.root is not None)


def secret_stored(path: Path, where: str, kind: str) -> UsageError:
    top = re.split(r"[.\[]", where, maxsplit=1)[0]
    return UsageError("errors.config_secret_stored", path=str(path), key=where, kind=kind, unset=top)


def load_config(paths: AppPaths, *, lenient: bool = False) -> Config:
    """Read the config file; a missing file is an empty config. A broken one names file and line.

    With `lenient` (the `config` commands) nothing is refused: a file that cannot be read gives an
    empty Config whose `damaged` says why, bad values are left out of `stored` (and listed in
    `problems`, kept as they were in `extra`), and values that hold a secret are listed in `secrets`.
    """
    from supportcli.core.safeload import Unparsable, load_toml

    path = paths.config_file
    root = None if paths.config_override else paths.config_dir
    try:
        data = load_toml(path, limit=MAX_CONFIG_BYTES)
    except FileNotFoundError:
        return Config(path=path, root=root)
    except OSError as exc:
        if lenient:
            return Config(path=path, root=root, damaged=exc.strerror or str(exc),
                          damaged_key="errors.config_unreadable")
        raise UsageError("errors.config_unreadable", path=str(path), reason=exc.strerror or str(exc)) from exc
    except Unparsable as exc:
        if lenient:
            return Config(path=path, root=root, damaged=exc.render())
        raise UsageError("errors.config_damaged", path=str(path), reason=exc.render()) from exc
    config = Config(path=path, root=root)
    for key, value in data.items():
        if key not in KEYS:
            config.extra[key] = value  # a newer version's key: keep quiet, keep it in the file
            continue
        try:
            config.stored[key] = _stored_value(key, value)
        except InputError as exc:
            if not lenient:
                raise UsageError(
                    "errors.config_bad_stored", path=str(path), key=key, allowed=exc.render()
                ) from exc
            config.problems[key] = exc.render()
            config.extra[key] = value  # written back as it was, until it is set or unset
    if lenient:
        _find_secrets(config, data)
    return config


def _stored_value(key: str, value: Any) -> Any:
    if key == "content_paths":
        if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 1000 for v in value):
            raise _bad(key)
        return [str(expand_user(v)) for v in value]
    if isinstance(value, dict | list):
        raise _bad(key)
    text = str(value)
    if len(text) > KEYS[key].max_length:
        raise InputError(key, "config", "errors.config_too_long", length=len(text), limit=KEYS[key].max_length)
    return KEYS[key].parse(text)


def _find_secrets(config: Config, data: dict[str, Any]) -> None:
    """Every setting (known or not) whose stored text holds what looks like a secret."""
    from supportcli.core.gate import tree_secret
    from supportcli.core.guard.secrets import kind_label

    for key, value in data.items():
        found = tree_secret({key: value})
        if found is not None:
            where, finding = found
            config.secrets[where] = kind_label(finding.kind)
            config.stored.pop(key, None)
