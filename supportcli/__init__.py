"""supportcli: a terminal support assistant for cryptocurrency exchange users."""

__version__ = "0.1.0"
