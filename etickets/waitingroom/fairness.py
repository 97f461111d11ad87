"""The draw of the waiting room, written so that anyone can redo it (docs/ARCHITECTURE.md,
"Waiting room")."""

import hashlib


def fair_order(*, seed: str, entry_ids: list[str]) -> list[str]:
    """``entry_ids`` sorted by SHA-256 of the seed's text followed by the entry id's text (both
    UTF-8), ties (never seen) by the entry id: the order of the pre-opening entries."""
    return sorted(
        entry_ids, key=lambda entry: (hashlib.sha256(f"{seed}{entry}".encode()).digest(), entry)
    )
