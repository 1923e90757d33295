"""How old a synced copy is, in words: "synced 12 days ago" / "12 天前同步"."""

from __future__ import annotations

import datetime as dt

from supportcli.core.i18n import Lang, t


def copy_age(synced_at: str | None, now: dt.datetime, lang: Lang | None = None) -> str:
    """Whole days between the sync and `now` (both aware), counted on UTC dates; "" if unreadable."""
    if not synced_at:
        return ""
    try:
        when = dt.datetime.fromisoformat(synced_at)
    except ValueError:
        return ""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    days = (now.astimezone(dt.UTC).date() - when.astimezone(dt.UTC).date()).days
    if days <= 0:
        return t("online.age.today", lang=lang)
    if days == 1:
        return t("online.age.yesterday", lang=lang)
    return t("online.age.days", lang=lang, count=days)
