"""The arguments and options several commands share, written once as `Annotated` aliases.

Help texts here (and in every `@app.command(help=…)`) are message keys: `supportcli.term.app.localize`
puts them into the interface language when the command is built, so one alias serves both languages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from supportcli.term.completion import complete_case_ids, complete_draft_ids

JsonFlag = Annotated[bool, typer.Option("--json", help="cli.opt.json")]
CaseIdArg = Annotated[
    str, typer.Argument(metavar="ID", help="cases.arg.id", show_default=False, autocompletion=complete_case_ids),
]
DraftIdArg = Annotated[
    str, typer.Argument(metavar="ID", help="drafts.opt.id", show_default=False, autocompletion=complete_draft_ids),
]
AnswersFile = Annotated[
    Path | None,
    typer.Option("--answers", metavar="FILE.toml", help="cli.opt.answers", dir_okay=False, show_default=False),
]
DraftFormat = Annotated[str, typer.Option("--format", metavar="ticket|email|both", help="drafts.opt.format")]
OutputDir = Annotated[
    Path | None, typer.Option("--output", metavar="DIR", help="drafts.opt.output", file_okay=False, show_default=False),
]
BilingualFlag = Annotated[bool, typer.Option("--bilingual", help="drafts.opt.bilingual")]
