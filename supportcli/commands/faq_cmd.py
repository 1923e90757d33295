"""`supportcli faq search|show|list|import`: the bilingual knowledge base and imported help centers.

`--json` output never loads rich; the text output builds rich `Text` objects and appends the
entries' text as plain text, so nothing in an entry or an imported article is read as markup.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from supportcli.core.errors import InputError, NotFoundError, UsageError
from supportcli.core.i18n import Lang, t
from supportcli.core.paths import expand_user
from supportcli.term.app import new_app
from supportcli.term.context import AppContext
from supportcli.term.options import JsonFlag

if TYPE_CHECKING:
    from supportcli.core.faq.model import FaqEntry
    from supportcli.core.faq.search import Faq, SearchResult
    from supportcli.core.pack import Pack

HIGHLIGHT = "bold yellow"


def _faq(app_ctx: AppContext) -> Faq:
    """The pack's FAQ, from its parsed-pack cache when that is current (the pack is then not loaded)."""
    from supportcli.core.faq.search import Faq

    return Faq(app_ctx.pack_or_folder(), app_ctx.paths.index_dir)


def _tell_notices(app_ctx: AppContext, faq: Faq) -> None:
    """What went wrong with the index (damaged, unreadable), once, on stderr."""
    for notice in faq.notices:
        app_ctx.terminal.error(t(notice.key, **notice.params))
    faq.notices.clear()


def _category_title(category: str) -> str:
    return t(f"faq.category.{category}")


def _result_json(r: SearchResult, lang: Lang) -> dict[str, Any]:
    return {
        "id": r.entry.id,
        "title": r.entry.title_in(lang),
        "score": r.score,
        "category": r.entry.category,
        "snippet": r.snippet.text,
        "snippet_lang": r.snippet_lang,
        "flow": r.entry.flow,
        "source": r.entry.source,
        "origin": r.entry.origin,
        "url": r.entry.url.get(r.snippet_lang) or r.entry.url_in(lang),
        "synced_at": r.entry.synced_at,
        "confident": r.confident,
    }


def _synced_mark(entry: FaqEntry) -> str:
    """"(synced 12 days ago)" for a copy from the help center, else ""."""
    if entry.origin != "synced":
        return ""
    import datetime as dt

    from supportcli.core.online.age import copy_age

    age = copy_age(entry.synced_at, dt.datetime.now(dt.UTC))
    return t("online.synced_mark", age=age) if age else ""


def _print_results(app_ctx: AppContext, query: str, results: list[SearchResult]) -> None:
    from rich.text import Text

    console = app_ctx.terminal.console()
    lang = app_ctx.lang
    app_ctx.terminal.echo(t("faq.results_header", count=len(results), query=query))
    for n, r in enumerate(results, start=1):
        line = Text(f"{n}. ")
        line.append(r.entry.title_in(lang), style="bold")
        line.append(f"  [{_category_title(r.entry.category)}]", style="dim")
        if r.entry.origin == "imported":
            line.append(" " + t("faq.imported_mark"), style="dim")
        elif r.entry.origin == "synced":
            line.append(" " + _synced_mark(r.entry), style="dim")
        console.print(line)
        snippet = Text("   ")
        body = Text(r.snippet.text)
        for start, end in r.snippet.spans:
            body.stylize(HIGHLIGHT, start, end)
        snippet.append_text(body)
        console.print(snippet)
        url = r.entry.url.get(r.snippet_lang) or r.entry.url_in(lang)
        if url:
            console.print(Text("   " + url, style="dim"))
        follow = Text("   → " + t("faq.follow_show", id=r.entry.id), style="cyan")
        if r.entry.flow:
            follow.append("  ·  " + t("faq.follow_flow", flow=r.entry.flow), style="cyan")
        console.print(follow)


def _print_unsure(app_ctx: AppContext, faq: Faq, text: str, shown: str, results: list[SearchResult]) -> None:
    """No confident answer: say so, show at most three entries that may be related, offer the next steps."""
    lang = app_ctx.lang
    if results:
        app_ctx.terminal.echo(t("faq.unsure", query=shown), multiline=False)
        app_ctx.terminal.echo(t("faq.maybe_related"))
        for r in results[:3]:
            app_ctx.terminal.echo(f"  {r.entry.id}  {r.entry.title_in(lang)}", multiline=False)
    else:
        general = not outcome_terms(faq, text)  # only words like "how", "help", "怎么办"
        app_ctx.terminal.echo(t("faq.too_general" if general else "faq.no_match", query=shown), multiline=False)
        closest = faq.closest(text)
        if closest:
            app_ctx.terminal.echo(t("faq.starting_points" if general else "faq.maybe_related"))
            for entry in closest:
                app_ctx.terminal.echo(f"  {entry.id}  {entry.title_in(lang)}", multiline=False)
    app_ctx.terminal.echo(t("faq.next_steps"))


def outcome_terms(faq: Faq, text: str) -> bool:
    """Whether the query says anything searchable at all (not only "how", "help", "怎么办")."""
    from supportcli.core.faq.tokens import analyze

    return bool(analyze(text, faq.synonyms))


def _entry_sources(faq: Faq, entry: FaqEntry, lang: Lang) -> list[dict[str, Any]]:
    """What the entry cites, in `lang`: `{id, url, title, confidence, checked}` per source.

    A pack entry names ids from the pack's sources.toml (an id it does not know is shown as is); an
    imported article has one object naming the file or URL it came from, with the other fields null.
    """
    if entry.origin in ("imported", "synced"):
        if not entry.source:
            return []
        url = entry.source if entry.source.startswith(("https://", "http://")) else None
        return [{"id": None, "url": url, "title": entry.source, "confidence": None, "checked": None}]
    sources = faq.pack.sources
    out: list[dict[str, Any]] = []
    for source_id in entry.sources:
        source = sources.get(source_id)
        if source is None:
            out.append({"id": source_id, "url": None, "title": source_id, "confidence": None, "checked": None})
        else:
            out.append({"id": source.id, "url": source.url, "title": source.title_in(lang),
                        "confidence": source.confidence, "checked": source.checked.isoformat()})
    return out


def _entry_json(faq: Faq, entry: FaqEntry, lang: Lang) -> dict[str, Any]:
    related = []
    for other_id in entry.related:
        other = faq.by_id.get(other_id)
        if other is not None:
            related.append({"id": other.id, "title": other.title_in(lang)})
    return {
        "id": entry.id,
        "category": entry.category,
        "title": entry.title_in(lang),
        "body": entry.body_in(lang),
        "notes": entry.notes_in(lang) or None,
        "related": related,
        "flow": entry.flow,
        "source": _entry_sources(faq, entry, lang),
        "verified": entry.verified,
        "origin": entry.origin,
        "languages": sorted(entry.title),
    }


def search(
    ctx: typer.Context,
    query: list[str] = typer.Argument(..., help="faq.query_arg", metavar="QUERY..."),
    limit: int = typer.Option(5, "--limit", "-n", help="faq.opt_limit", metavar="N"),
    as_json: JsonFlag = False,
) -> None:
    app_ctx = AppContext.of(ctx)
    text = " ".join(query).strip()
    if not text:
        raise InputError("QUERY", t("faq.empty_query"))
    if not 1 <= limit <= 100:
        raise InputError("--limit", t("faq.bad_limit"))
    from supportcli.core.faq.inputs import refuse_secrets
    from supportcli.core.faq.search import SNIPPET_WIDTH

    refuse_secrets("QUERY", text)
    faq = _faq(app_ctx)
    # The snippet stands indented under its title: keep it to one line of the terminal.
    width = SNIPPET_WIDTH if as_json else max(30, min(SNIPPET_WIDTH, app_ctx.terminal.console().width - 6))
    try:
        outcome = faq.search(text, app_ctx.lang, limit, snippet_width=width)
    finally:
        faq.close()
        _tell_notices(app_ctx, faq)
    shown = text if len(text) <= 80 else text[:79] + "…"
    if as_json:
        app_ctx.terminal.json([_result_json(r, app_ctx.lang) for r in outcome.results])
        if not outcome.confident:
            raise typer.Exit(1)
        return
    if not outcome.confident:
        _print_unsure(app_ctx, faq, text, shown, outcome.results)
        raise typer.Exit(1)
    if outcome.corrected:
        words = ", ".join(dict.fromkeys(p.word for p in outcome.corrected))
        app_ctx.terminal.echo(t("faq.corrected", words=words), multiline=False)
    _print_results(app_ctx, shown, [r for r in outcome.results if r.confident])


def show(
    ctx: typer.Context,
    entry_id: str = typer.Argument(..., help="faq.id_arg", metavar="ID"),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.faq.inputs import refuse_secrets
    from supportcli.core.text import clean

    app_ctx = AppContext.of(ctx)
    refuse_secrets("ID", entry_id)
    faq = _faq(app_ctx)
    try:
        entry = faq.get(entry_id.strip()) or faq.by_id.get(entry_id.strip().lower())  # pack ids are lowercase
        if entry is None:
            names = faq.did_you_mean(entry_id.strip())
            hint = t("faq.did_you_mean", names=", ".join(names)) if names else ""
            raise NotFoundError("faq.unknown_id", id=clean(entry_id, multiline=False), hint=hint)
        lang = app_ctx.lang
        if as_json:
            app_ctx.terminal.json(_entry_json(faq, entry, lang))
            return
        _print_entry(app_ctx, faq, entry)
    finally:
        faq.close()
        _tell_notices(app_ctx, faq)


def list_(
    ctx: typer.Context,
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.faq.model import CATEGORIES

    app_ctx = AppContext.of(ctx)
    lang = app_ctx.lang
    faq = _faq(app_ctx)
    try:
        imported = faq.imported_count()
    finally:
        faq.close()
        _tell_notices(app_ctx, faq)
    groups: list[dict[str, Any]] = []
    for category in CATEGORIES:
        entries = [e for e in faq.entries if e.category == category]
        if entries:
            groups.append({
                "category": category,
                "title": _category_title(category),
                "entries": [{"id": e.id, "title": e.title_in(lang), "flow": e.flow} for e in entries],
            })
    if as_json:
        app_ctx.terminal.json({"pack": faq.pack_id, "categories": groups, "imported": imported})
        return
    from rich.text import Text

    console = app_ctx.terminal.console()
    width = max((len(e.id) for e in faq.entries), default=10)
    for group in groups:
        console.print(Text(str(group["title"]), style="bold"))
        for item in group["entries"]:
            row = Text(f"  {item['id']:<{width}}  ", style="cyan")
            row.append(str(item["title"]))
            console.print(row)
    if imported:
        app_ctx.terminal.echo(t("faq.imported_count", count=imported))


def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="faq.path_arg", metavar="PATH", show_default=False),
    pack_name: str = typer.Option("", "--pack", help="faq.opt_import_pack", metavar="NAME"),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.core.checks import ID_PATTERN
    from supportcli.core.faq.importer import find_files, import_export
    from supportcli.core.faq.store import DamagedIndexError, FaqStore, index_path, set_aside

    app_ctx = AppContext.of(ctx)
    root = expand_user(path)
    if not root.exists():
        raise InputError("PATH", t("faq.no_such_path", path=str(path)))
    if pack_name and not ID_PATTERN.match(pack_name):
        raise InputError("--pack", t("faq.bad_pack_name"))
    pack: Pack | None = app_ctx.pack()
    name = pack_name or app_ctx.pack().id  # the pack in use, when not named
    if not find_files(root):
        raise UsageError("faq.import.no_files", path=str(root))
    if pack is not None and name != pack.id:
        from supportcli.core.pack import resolve_pack

        try:
            pack = resolve_pack(name, list(app_ctx.settings.pack.content_paths))
        except UsageError:  # not installed (yet): its index is searched once it is; a typo is said
            pack = None
            app_ctx.terminal.error(t("faq.import.pack_not_installed", pack=name))
    reserved: frozenset[str] = frozenset()
    if pack is not None:
        from supportcli.core.faq.search import Faq

        faq = Faq(pack, app_ctx.paths.index_dir)
        reserved = frozenset(faq.by_id)
        faq.close()
    target = index_path(app_ctx.paths.index_dir, name)
    try:
        opened = FaqStore(target)
    except DamagedIndexError:
        aside = set_aside(target)
        app_ctx.terminal.error(t("faq.index_damaged", path=str(target), aside=str(aside or target)))
        opened = FaqStore(target)
    with opened as store:
        try:
            if app_ctx.terminal.stderr.isatty() and not as_json:
                report = _import_with_progress(app_ctx, store, root, import_export, reserved)
            else:
                report = import_export(store, root, reserved=reserved)
        except KeyboardInterrupt:
            app_ctx.terminal.error(t("faq.import.interrupted"))
            raise
    for item in report.skipped:
        app_ctx.terminal.error(t("faq.import.skipped", file=item.file, reason=item.reason))
    if as_json:
        app_ctx.terminal.json({
            "pack": name, "index": str(target), "files": report.files, "added": report.counts.added,
            "updated": report.counts.updated, "unchanged": report.counts.unchanged,
            "skipped": [{"file": s.file, "reason": s.reason} for s in report.skipped],
        })
    else:
        app_ctx.terminal.echo(t(
            "faq.import.done", total=report.counts.total, files=report.files, path=str(target),
            added=report.counts.added, updated=report.counts.updated, unchanged=report.counts.unchanged,
        ))
        if report.skipped:
            app_ctx.terminal.error(t("faq.import.skipped_total", count=len(report.skipped)))
    if report.skipped:
        raise typer.Exit(1)


def sync(
    ctx: typer.Context,
    locales: list[str] = typer.Option([], "--locale", help="online.sync.opt_locale", metavar="LOCALE"),
    as_json: JsonFlag = False,
) -> None:
    from supportcli.commands.online_shared import client, endpoints, progress_bar, utc_now
    from supportcli.core.faq.store import index_path
    from supportcli.core.net.errors import NetError
    from supportcli.core.net.policy import host_of
    from supportcli.core.online.helpcenter import sync_help_center

    app_ctx = AppContext.of(ctx)
    base = endpoints(app_ctx).help_center
    target = index_path(app_ctx.paths.index_dir, app_ctx.pack().id)
    now = utc_now().isoformat(timespec="seconds")
    try:
        with client(app_ctx) as http, progress_bar(app_ctx, t("online.sync.progress")) as advance:
            report = sync_help_center(http, base, target, now, requested=locales, progress=advance)
    except KeyboardInterrupt:
        app_ctx.terminal.error(t("online.sync.interrupted"))
        raise
    except NetError:
        app_ctx.terminal.error(t("online.sync.kept"))
        raise
    if as_json:
        app_ctx.terminal.json({**report.to_json(), "index": str(target)})
    else:
        app_ctx.terminal.echo(t(
            "online.sync.done", total=report.total, host=host_of(base), locales=", ".join(report.locales),
            added=report.added, updated=report.updated, removed=report.removed, unchanged=report.unchanged,
        ))
        if report.skipped:
            app_ctx.terminal.echo(t("online.sync.skipped", count=report.skipped))
    for locale in report.incomplete:
        app_ctx.terminal.error(t("online.sync.incomplete", locale=locale))


def build() -> typer.Typer:
    app = new_app(t("faq.help"), t("faq.epilog"))
    app.command("search", help="faq.search_help")(search)
    app.command("show", help="faq.show_help")(show)
    app.command("list", help="faq.list_help")(list_)
    app.command("import", help="faq.import_help")(import_)
    app.command("sync", help="online.sync.help", epilog="online.sync.epilog")(sync)
    return app


def _import_with_progress(app_ctx: AppContext, store: Any, root: Path, run: Any, reserved: frozenset[str]) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(t("faq.import.progress")), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=app_ctx.terminal.console(err=True), transient=True,
    ) as progress:
        task = progress.add_task("import", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return run(store, root, advance, reserved)


def _print_entry(app_ctx: AppContext, faq: Faq, entry: FaqEntry) -> None:
    from rich.text import Text

    lang = app_ctx.lang
    console = app_ctx.terminal.console()
    console.print(Text(entry.title_in(lang), style="bold"))
    meta = Text(f"{t('faq.label_category')}{_category_title(entry.category)}  ·  {entry.id}", style="dim")
    console.print(meta)
    app_ctx.terminal.echo("")
    console.print(Text(entry.body_in(lang).strip()))
    notes = entry.notes_in(lang)
    if notes:
        app_ctx.terminal.echo("")
        note = Text(t("faq.label_notes"), style="bold")
        note.append(notes.strip())
        console.print(note)
    related = [faq.by_id[i] for i in entry.related if i in faq.by_id]
    if related or entry.flow:
        app_ctx.terminal.echo("")
    if related:
        app_ctx.terminal.echo(t("faq.label_related").rstrip())
        for other in related:
            row = Text(f"  {other.id}  ", style="cyan")
            row.append(other.title_in(lang))
            console.print(row)
    if entry.flow:
        console.print(Text(f"{t('faq.label_next')}supportcli troubleshoot {entry.flow}", style="cyan"))
    _print_sources(app_ctx, faq, entry)


def _print_sources(app_ctx: AppContext, faq: Faq, entry: FaqEntry) -> None:
    """Each cited source in the reader's language: its title, how sure it is, where and when it was read."""
    from rich.text import Text

    from supportcli.core.sources import confidence_label

    cited = _entry_sources(faq, entry, app_ctx.lang)
    if not cited:
        return
    console = app_ctx.terminal.console()
    app_ctx.terminal.echo("")
    if entry.origin in ("imported", "synced"):
        line = Text(t("faq.label_source") + str(cited[0]["title"]), style="dim")
        if entry.origin == "synced":
            line.append(" " + _synced_mark(entry), style="dim")
        console.print(line)
        return
    heading = t("faq.label_sources_checked", date=entry.verified) if entry.verified else t("faq.label_sources")
    console.print(Text(heading, style="dim"))
    for item in cited:
        title = str(item["title"])
        if item["confidence"]:
            title = t("content.source.brief", title=title, confidence=confidence_label(str(item["confidence"])))
        console.print(Text("  - " + title, style="dim"))
        if item["url"] and item["checked"]:
            console.print(Text("    " + t("faq.source_where", url=item["url"], date=item["checked"]), style="dim"))
        elif item["checked"]:
            console.print(Text("    " + t("faq.source_when", date=item["checked"]), style="dim"))
