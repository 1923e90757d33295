"""Asking a person (or an answers file) questions: the one `Prompter` protocol, its scripted
implementation, the guard every answer passes, and the one ask-until-valid loop.

- `protocol`: `Prompter` (text, multiline, select, confirm, and the flow screens), `Question`, `BACK`;
- `scripted`: `ScriptedPrompter`, answers from a mapping (answers files and tests);
- `guard`: `AnswerGuard`, the typed view of the secret guard, and its `SecretFound` refusal;
- `asking`: `Asker`, which asks until an answer parses and passes the guard.

The interactive prompter (questionary) lives in `supportcli.term.prompter_questionary`.
"""
