"""The secret guard: finds passwords, recovery phrases and keys in text, and checks contacts.

Domain core only: no terminal I/O. `secrets` scans text, `contacts` judges a URL, e-mail address,
handle or phone number against the pack's official channels.
"""
