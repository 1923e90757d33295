"""One module per command; each exposes `build() -> typer.Typer`. They only translate arguments into
calls to the domain core and render the results."""
