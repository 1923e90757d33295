"""The names the guard's messages use, taken from the pack: the exchange, its website, its help center.

Messages say "{exchange} staff never …" and "open a ticket at {help_url}"; nothing in the guard's
code or message tables names a particular exchange.
"""

from __future__ import annotations

from typing import TypedDict

from supportcli.core.i18n import Lang, current_language
from supportcli.core.pack import Manifest


class PackNames(TypedDict):
    exchange: str
    website: str
    help_url: str


def pack_names(manifest: Manifest, lang: Lang | None = None) -> PackNames:
    """`exchange`, `website` and `help_url` for message parameters, in `lang` (default: current)."""
    lang = lang or current_language()
    website = next((c.value for c in manifest.channels if c.official and c.kind == "website"), "")
    help_url = manifest.support.ticket_url
    if help_url and "://" not in help_url:
        help_url = "https://" + help_url
    return PackNames(exchange=manifest.name_in(lang), website=website or help_url, help_url=help_url or website)
