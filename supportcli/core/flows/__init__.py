"""Troubleshooting flows: data (content pack) + an engine that asks a Prompter for each answer."""
