"""The entry point: read the global options, choose the language, build the command tree, run it,
turn errors into one line.

Sub-commands live one module each under `supportcli.commands` and are imported only when they
run (or when their own help is shown), so `supportcli --help` stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING, Any, NoReturn

from supportcli import __version__
from supportcli.core.i18n import lang_from_environment, parse_language, set_language, t
from supportcli.core.settings import CommandLine

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from typer import _click

    from supportcli.term.terminal import Terminal


class LazyCommand:
    __slots__ = ("help_key", "module", "name")

    def __init__(self, name: str, module: str, help_key: str) -> None:
        self.name = name
        self.module = module  # exposes build() -> typer.Typer
        self.help_key = help_key


# The order here is the order `--help` lists them in.
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand("faq", "supportcli.commands.faq_cmd", "cli.commands.faq"),
    LazyCommand("status", "supportcli.commands.status_cmd", "cli.commands.status"),
    LazyCommand("market", "supportcli.commands.market_cmd", "cli.commands.market"),
    LazyCommand("troubleshoot", "supportcli.commands.troubleshoot_cmd", "cli.commands.troubleshoot"),
    LazyCommand("draft-ticket", "supportcli.commands.draft_ticket_cmd", "cli.commands.draft_ticket"),
    LazyCommand("drafts", "supportcli.commands.drafts_cmd", "cli.commands.drafts"),
    LazyCommand("cases", "supportcli.commands.cases_cmd", "cli.commands.cases"),
    LazyCommand("records", "supportcli.commands.records_cmd", "cli.commands.records"),
    LazyCommand("scan", "supportcli.commands.scan_cmd", "cli.commands.scan"),
    LazyCommand("verify-contact", "supportcli.commands.verify_contact_cmd", "cli.commands.verify_contact"),
    LazyCommand("config", "supportcli.commands.config_cmd", "cli.commands.config"),
    LazyCommand("content", "supportcli.commands.content_cmd", "cli.commands.content"),
    LazyCommand("completion", "supportcli.commands.completion_cmd", "cli.commands.completion"),
)


def _lazy_group_class() -> type[Any]:
    from typer import _click
    from typer.core import TyperGroup

    class LazyGroup(TyperGroup):
        """A group whose sub-commands are imported on first use."""

        def list_commands(self, ctx: _click.Context) -> list[str]:
            return [c.name for c in COMMANDS]

        def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
            if cmd_name in self.commands:
                return self.commands[cmd_name]
            spec = next((c for c in COMMANDS if c.name == cmd_name), None)
            if spec is None:
                return None
            import importlib

            import typer.main

            from supportcli.term.app import localize

            module: Any = importlib.import_module(spec.module)
            command = localize(typer.main.get_command(module.build()))
            command.name = spec.name
            _share_examples(command, spec.name)
            self.commands[cmd_name] = command
            return command

        def resolve_command(
            self, ctx: _click.Context, args: list[str]
        ) -> tuple[str | None, _click.Command | None, list[str]]:
            unknown = args and args[0] not in self.list_commands(ctx) and not args[0].startswith("-")
            if unknown and not ctx.resilient_parsing:  # (completing a Tab: nothing to say)
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                hint = t("cli.did_you_mean", names=", ".join(matches)) if matches else ""
                raise _click.exceptions.UsageError(
                    t("cli.no_such_command", name=args[0]) + hint, ctx
                )
            return super().resolve_command(ctx, args)

        def shell_complete(self, ctx: _click.Context, incomplete: str) -> list[Any]:
            """A Tab after `supportcli`: the command names and their help, without importing them."""
            from typer._click.core import Command
            from typer._click.shell_completion import CompletionItem

            names = [CompletionItem(c.name, help=t(c.help_key)) for c in COMMANDS if c.name.startswith(incomplete)]
            return names + Command.shell_complete(self, ctx, incomplete)  # and the options

        def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
            rows = [(c.name, t(c.help_key)) for c in COMMANDS]
            with formatter.section(t("cli.section_commands")):
                formatter.write_dl(rows)

    return LazyGroup


def _share_examples(group: _click.Command, name: str) -> None:
    """Give each sub-command without examples of its own the lines of its group's examples that
    run it, so `supportcli drafts show --help` shows how `drafts show` is used."""
    subcommands: dict[str, _click.Command] = getattr(group, "commands", {})
    lines = (group.epilog or "").splitlines()
    for sub_name, sub in subcommands.items():
        if sub.epilog:
            continue
        prefix = f"supportcli {name} {sub_name}"
        examples = [line for line in lines if line.strip() == prefix or line.strip().startswith(prefix + " ")]
        if examples:
            sub.epilog = "\b\n" + t("cli.examples") + "\n" + "\n".join(examples)


def build_root() -> _click.Command:
    from supportcli.term.root import build_root as build

    return build(_lazy_group_class())


# Global options taken out of the arguments wherever they stand (but not after `--`), so that they
# also apply to the help screen of any command: name -> (field of CommandLine, takes a value).
_GLOBAL_FLAGS = {
    "--lang": ("lang", True),
    "--offline": ("offline", False),
    "--online": ("online", False),
    "--debug": ("debug", False),
    "--quiet": ("quiet", False),
    "-q": ("quiet", False),
}


def extract_globals(args: list[str]) -> tuple[CommandLine, list[str]]:
    """Take `--lang X` / `--lang=X`, `--offline`, `--online`, `--debug` and `-q/--quiet` out of `args`."""
    from supportcli.core.errors import UsageError

    rest: list[str] = []
    found: dict[str, Any] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        name, has_value, value = arg, False, None
        if arg.startswith("--lang="):
            name, value = "--lang", arg.split("=", 1)[1]
        spec = _GLOBAL_FLAGS.get(name)
        if spec is None:
            rest.append(arg)
            i += 1
            continue
        field, has_value = spec
        i += 1
        if has_value and value is None:
            if i >= len(args):
                raise UsageError("errors.lang_value", value="")
            value = args[i]
            i += 1
        if field == "lang":
            lang = parse_language(value or "")
            if lang is None:
                raise UsageError("errors.lang_value", value=value)
            found["lang"] = lang
        else:
            found[field] = True
    if found.get("offline") and found.get("online"):
        raise UsageError("errors.offline_and_online")
    return CommandLine(**found), rest


def main(argv: Sequence[str] | None = None, terminal: Terminal | None = None) -> int:
    """Run supportcli with `argv`; return the exit status (only the caller exits).

    `terminal` is everything the run talks to and reads: streams, the environment, where questions
    are asked (tests pass their own).
    """
    begun = time.perf_counter()
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]) and terminal is None:
        sys.stdout.write(f"supportcli {__version__}\n")  # without building the command tree
        return 0
    from supportcli.term.terminal import Terminal, make_streams_safe

    make_streams_safe()
    term = terminal or Terminal()
    env = term.environ
    set_language(lang_from_environment(env))
    debug = "--debug" in (args[: args.index("--")] if "--" in args else args)
    try:
        return _run(args, term, env, begun)
    except Exception as exc:  # a bug: one line, the traceback only with --debug
        from supportcli.core.errors import ExitCode

        if debug:
            import traceback

            term.error(traceback.format_exc().rstrip())
        from supportcli.core.text import clean

        said = clean(f"{type(exc).__name__}: {exc}", multiline=False)
        term.error(t("cli.error_prefix") + t("errors.unexpected", error=said[:200]))
        return int(ExitCode.FINDING)
    finally:
        if debug:
            term.error(t("cli.debug_timing", total=f"{(time.perf_counter() - begun) * 1000:.0f}"))


def _run(args: list[str], term: Terminal, env: Mapping[str, str], begun: float) -> int:
    from typer import _click
    from typer.exceptions import Abort, Exit

    from supportcli.core.errors import ExitCode, SupportCliError
    from supportcli.core.paths import AppPaths
    from supportcli.core.settings import env_language, resolve_language
    from supportcli.term.context import AppContext

    line = CommandLine()
    try:
        if "\x00" in "".join(args) or not "".join(args).isascii():
            from supportcli.core.gate import decode_arguments

            args = decode_arguments(args)  # undecodable bytes (and NUL) are decided here, once
        line, args = extract_globals(args)
        term.quiet = line.quiet
        paths = AppPaths.default(env)
        config = None
        if line.lang is None and env_language(env) is None:
            from supportcli.core.config import load_config

            try:
                config = load_config(paths)  # its `language` decides
            except SupportCliError:
                # A damaged settings file: the locale's language, and the command that needs the file
                # says what is wrong with it (`config path`, `config reset`, `--help` still work).
                config = None
        lang = resolve_language(line, env, config)
        set_language(lang)
        from supportcli.term.click_i18n import install

        install()
        command = build_root()
        obj = AppContext(paths=paths, terminal=term, lang=lang, line=line, _config=config)
        if line.debug:
            term.error(t("cli.debug_ready", ms=f"{(time.perf_counter() - begun) * 1000:.0f}"))
        result = command.main(args=args, prog_name="supportcli", standalone_mode=False, obj=obj)
        code = int(result) if isinstance(result, int) and not isinstance(result, bool) else 0
        if code == ExitCode.INTERRUPTED and not isinstance(result, bool):
            # typer turns a Ctrl-C inside a command into a plain 130 in non-standalone mode.
            term.error(t("cli.interrupted"))
        return code
    except SupportCliError as exc:
        _debug_traceback(term, line)
        term.error(t("cli.error_prefix") + exc.render())
        return int(exc.exit_code)
    except _click.exceptions.NoArgsIsHelpError as exc:  # a command group on its own: its help
        term.echo(exc.format_message())
        return int(ExitCode.USAGE)
    except _click.exceptions.UsageError as exc:
        from supportcli.term.click_i18n import usage_error_message

        if exc.ctx is not None:
            term.error(exc.ctx.get_usage())
            term.error(t("cli.usage_hint", command=exc.ctx.command_path))
        term.error(t("cli.error_prefix") + usage_error_message(exc))
        return int(ExitCode.USAGE)
    except _click.exceptions.ClickException as exc:
        term.error(t("cli.error_prefix") + exc.format_message())
        return int(ExitCode.FINDING)
    except Exit as exc:
        if exc.exit_code == ExitCode.INTERRUPTED:  # typer turns Ctrl-C into Exit(130)
            term.error(t("cli.interrupted"))
        return int(exc.exit_code)
    except (Abort, KeyboardInterrupt, EOFError):
        _debug_traceback(term, line)
        term.error(t("cli.interrupted"))
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.FINDING)
    except OSError as exc:  # a filesystem error no command turned into its own message: still one line
        _debug_traceback(term, line)
        reason = exc.strerror or type(exc).__name__
        if exc.filename is not None:
            name = os.fsdecode(exc.filename) if isinstance(exc.filename, bytes) else str(exc.filename)
            said = t("errors.os_error", path=name, reason=reason)
        else:
            said = t("errors.os_error_nameless", reason=reason)
        term.error(t("cli.error_prefix") + said)
        return int(ExitCode.FINDING)


def _debug_traceback(term: Terminal, line: CommandLine) -> None:
    if line.debug:
        import traceback

        term.error(traceback.format_exc().rstrip())


def run() -> None:
    """The console script."""
    leave(main())


def leave(code: int) -> NoReturn:
    """End the process with `code`, without the interpreter's last garbage collections over every object
    the run made (about 10 ms of each command, more than most commands' own work): `gc.freeze()` leaves
    what is still alive to the end of the process. Files and databases are closed by their own `with`
    blocks before this; atexit handlers still run and stdout and stderr are still flushed."""
    import gc

    gc.freeze()
    raise SystemExit(code)
