"""Keys as a terminal sends them, for driving questionary prompts through a pipe input."""

ENTER = "\r"
UP = "\x1b[A"
DOWN = "\x1b[B"
ESC_ENTER = "\x1b\r"  # Esc then Enter ends a multi-line answer
CTRL_C = "\x03"
BACKSPACE = "\x7f"
