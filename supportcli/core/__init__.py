"""The domain core: no terminal I/O, and no typer, rich, questionary or prompt_toolkit imports."""
