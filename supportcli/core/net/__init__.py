"""Going online, only when the user asks: URL rules, the network policy, typed errors, the HTTP client.

Nothing here imports an HTTP library at import time: `http.py` loads httpx inside the client, so
the modules on the `--help` and `faq search` paths stay as fast as they were.
"""
