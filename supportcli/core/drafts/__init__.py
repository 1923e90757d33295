"""Ticket and email drafts: templates from the content pack, pure rendering, private storage."""
