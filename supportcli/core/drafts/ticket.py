"""The ticket: Markdown for the exchange's ticket form, one section per language (pure)."""

from __future__ import annotations

from supportcli.core.drafts.collect import Collected
from supportcli.core.drafts.markdown import md_block, md_inline
from supportcli.core.i18n import t


def _cell(text: str) -> str:
    return md_inline(text) or "—"


def ticket_section(c: Collected, *, heading_level: int = 1) -> str:
    lang = c.lang
    h = "#" * heading_level
    out: list[str] = [f"{h} {md_inline(c.subject)}", ""]
    colon = t("drafts.colon", lang=lang)
    out.append(f"**{t('drafts.ticket.category', lang=lang)}{colon.strip()}** {md_inline(c.category_name)}  ")
    out.append(f"**{t('drafts.ticket.exchange', lang=lang)}{colon.strip()}** {md_inline(c.exchange)}")
    out += ["", f"{h}# {t('drafts.ticket.summary', lang=lang)}", "", c.summary_md]
    if c.facts:
        out += ["", f"{h}# {t('drafts.ticket.details', lang=lang)}", ""]
        out.append(f"| {t('drafts.ticket.col_field', lang=lang)} | {t('drafts.ticket.col_value', lang=lang)} |")
        out.append("| --- | --- |")
        out += [f"| {_cell(f.label)} | {_cell(f.value)} |" for f in c.facts]
    if c.sourced:
        out += ["", f"{h}# {t('drafts.ticket.sourced', lang=lang)}", ""]
        out += [f"- {md_inline(line)}" for line in c.sourced]
    for story in c.narratives:
        out += ["", f"{h}# {md_inline(story.label)}", "", md_block(story.value)]
    out += ["", f"{h}# {t('drafts.ticket.tried', lang=lang)}", ""]
    out += [f"- {md_inline(item)}" for item in c.tried] or [t("drafts.ticket.tried_none", lang=lang)]
    out += ["", f"{h}# {t('drafts.ticket.evidence', lang=lang)}", ""]
    out += [f"- [ ] {md_inline(item)}" for item in c.evidence]
    out += ["", f"> {t('drafts.ticket.safety', lang=lang, exchange=md_inline(c.exchange))}"]
    return "\n".join(out) + "\n"


def ticket_markdown(parts: list[Collected]) -> str:
    return "\n---\n\n".join(ticket_section(p) for p in parts)

