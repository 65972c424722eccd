"""What one for_ear call carries from rule to rule: the table, the lexicon, finished spans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from briefing.speech.lexicon import Protected
from briefing.speech.tables import Table


@dataclass
class Pass:
    """One for_ear call's state. Not frozen: rules add finished spans to `protect` and the
    acronym rule learns once whether the text is a shouted headline."""

    table: Table
    lexicon: Mapping[str, str]
    protect: Protected = field(default_factory=Protected)
    shouted: bool = False

    def hold(self, said: str) -> str:
        """Keep finished words out of later rules (behind a placeholder character)."""
        return self.protect.hold(said)
