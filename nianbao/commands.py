"""Store and crawler commands, registered on the CLI app (kept apart so `parse` stays light)."""

from __future__ import annotations
