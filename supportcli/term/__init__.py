"""The terminal layer: Typer commands, rich rendering and the questionary prompter."""
