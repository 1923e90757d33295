"""The FAQ: the shipped pack's bilingual entries, imported help-center articles, and search over both."""
