"""The entry point: choose the language, build the command tree, run it, turn errors into one line.

Sub-commands live one module each under `supportcli.commands` and are imported only when they
run (or when their own help is shown), so `supportcli --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import typer
from typer import _click

from supportcli import __version__
from supportcli.core.errors import ExitCode, SupportCliError, UsageError
from supportcli.core.i18n import Lang, lang_from_environment, normalize_lang, set_language, t
from supportcli.core.paths import AppPaths
from supportcli.term.context import AppContext
from supportcli.term.terminal import Terminal, make_streams_safe


@dataclass(frozen=True)
class LazyCommand:
    name: str
    module: str  # exposes build() -> typer.Typer
    help_key: str


# The order here is the order `--help` lists them in.
COMMANDS: tuple[LazyCommand, ...] = (
    LazyCommand("faq", "supportcli.commands.faq_cmd", "cli.commands.faq"),
    LazyCommand("troubleshoot", "supportcli.commands.troubleshoot_cmd", "cli.commands.troubleshoot"),
    LazyCommand("draft-ticket", "supportcli.commands.draft_ticket_cmd", "cli.commands.draft_ticket"),
    LazyCommand("drafts", "supportcli.commands.drafts_cmd", "cli.commands.drafts"),
    LazyCommand("cases", "supportcli.commands.cases_cmd", "cli.commands.cases"),
    LazyCommand("scan", "supportcli.commands.scan_cmd", "cli.commands.scan"),
    LazyCommand("verify-contact", "supportcli.commands.verify_contact_cmd", "cli.commands.verify_contact"),
    LazyCommand("config", "supportcli.commands.config_cmd", "cli.commands.config"),
    LazyCommand("content", "supportcli.commands.content_cmd", "cli.commands.content"),
)


def _lazy_group_class() -> type[Any]:
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

            module: Any = importlib.import_module(spec.module)
            command = typer.main.get_command(module.build())
            command.name = spec.name
            self.commands[cmd_name] = command
            return command

        def resolve_command(
            self, ctx: _click.Context, args: list[str]
        ) -> tuple[str | None, _click.Command | None, list[str]]:
            if args and args[0] not in self.list_commands(ctx) and not args[0].startswith("-"):
                from difflib import get_close_matches

                matches = get_close_matches(args[0], self.list_commands(ctx))
                hint = t("cli.did_you_mean", names=", ".join(matches)) if matches else ""
                raise _click.exceptions.UsageError(
                    t("cli.no_such_command", name=args[0]) + hint, ctx
                )
            return super().resolve_command(ctx, args)

        def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
            rows = [(c.name, t(c.help_key)) for c in COMMANDS]
            with formatter.section(t("cli.section_commands")):
                formatter.write_dl(rows)

    return LazyGroup


def build_root() -> _click.Command:
    import typer.main

    app = typer.Typer(
        cls=_lazy_group_class(),
        name="supportcli",
        help=t("cli.help"),
        epilog=t("cli.epilog"),
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        add_completion=False,
        invoke_without_command=True,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        version: bool = typer.Option(False, "--version", "-V", help=t("cli.opt.version"), is_eager=True),
        lang: str = typer.Option("", "--lang", metavar="zh|en", help=t("cli.opt.lang")),
        pack: str = typer.Option("", "--pack", metavar="PATH", help=t("cli.opt.pack")),
    ) -> None:
        app_ctx = AppContext.of(ctx)
        if version:
            app_ctx.terminal.echo(f"supportcli {__version__}")
            raise typer.Exit(0)
        if pack:
            from pathlib import Path

            app_ctx.explicit_pack = Path(pack).expanduser()
        if ctx.invoked_subcommand is None:
            _home(ctx, app_ctx)

    return typer.main.get_command(app)


def _home(ctx: Any, app_ctx: AppContext) -> None:
    """No sub-command: the home screen (cases, drafts, the main commands), or help as a fallback."""
    import importlib

    try:
        home: Any = importlib.import_module("supportcli.commands.home")
    except ImportError:  # the home screen arrives with the cases feature
        app_ctx.terminal.echo(ctx.get_help())
        return
    home.show(app_ctx)


def extract_lang(args: list[str]) -> tuple[Lang | None, list[str]]:
    """Take `--lang X` / `--lang=X` out of the arguments, wherever it stands (but not after `--`)."""
    rest: list[str] = []
    chosen: Lang | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest.extend(args[i:])
            break
        value: str | None = None
        if arg == "--lang":
            if i + 1 >= len(args):
                raise UsageError("errors.lang_value", value="")
            value = args[i + 1]
            i += 2
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            i += 1
        else:
            rest.append(arg)
            i += 1
            continue
        if value.strip().lower() not in ("zh", "en", "zh-cn", "zh_cn"):
            raise UsageError("errors.lang_value", value=value)
        chosen = normalize_lang(value)
    return chosen, rest


def choose_language(from_flag: Lang | None, paths: AppPaths) -> Lang:
    """Environment, then config, then `--lang`: the later one wins."""
    if from_flag is not None:
        return from_flag
    from supportcli.core.config import load_config

    configured = load_config(paths).language
    if configured in ("zh", "en"):
        return configured  # type: ignore[return-value]
    return lang_from_environment()


def main(argv: Sequence[str] | None = None, terminal: Terminal | None = None) -> int:
    """Run supportcli with `argv`; return the exit status (only the caller exits)."""
    from typer.exceptions import Abort, Exit

    make_streams_safe()
    term = terminal or Terminal()
    args = list(sys.argv[1:] if argv is None else argv)
    set_language(lang_from_environment())
    try:
        flag_lang, args = extract_lang(args)
        paths = AppPaths.default()
        lang = choose_language(flag_lang, paths)
        set_language(lang)
        if lang == "zh":
            from supportcli.term.click_i18n import translate_click

            translate_click()
        command = build_root()
        obj = AppContext(paths=paths, terminal=term, lang=lang)
        result = command.main(
            args=args, prog_name="supportcli", standalone_mode=False, obj=obj
        )
        return int(result) if isinstance(result, int) and not isinstance(result, bool) else 0
    except SupportCliError as exc:
        term.error(t("cli.error_prefix") + exc.render())
        return int(exc.exit_code)
    except _click.exceptions.UsageError as exc:
        if exc.ctx is not None:
            term.error(exc.ctx.get_usage())
            term.error(t("cli.usage_hint", command=exc.ctx.command_path))
        term.error(t("cli.error_prefix") + exc.format_message())
        return int(ExitCode.USAGE)
    except _click.exceptions.ClickException as exc:
        term.error(t("cli.error_prefix") + exc.format_message())
        return int(ExitCode.FINDING)
    except Exit as exc:
        return int(exc.exit_code)
    except (Abort, KeyboardInterrupt, EOFError):
        term.error(t("cli.interrupted"))
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        return int(ExitCode.FINDING)


def run() -> None:
    raise SystemExit(main())
