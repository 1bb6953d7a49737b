"""Summarization state in the store: which reports each group holds, and each finished group's result.

The members are rewritten at the start of every run (they are what the statistics join on, so every
count is one GROUP BY). One checkpoint per finished group is committed as soon as the group is done: a
killed run loses at most the groups in flight, and the next run with the same request reuses every
checkpoint whose group still holds the same reports (same ids, same stored content, same concept links).
The tables and queries are the store's (grounding/store/summaries.py).
"""

from __future__ import annotations

import hashlib
import json

from grounding.store.summaries import SummaryCheckpoint, SummaryQueries

__all__ = ["SummaryCheckpoint", "canonical", "clear", "digest", "ensure_tables", "load", "save", "write_members"]


def ensure_tables(store: SummaryQueries) -> None:
    store.ensure_summary_tables()


def canonical(payload: dict) -> dict:
    """The payload as it reads back from SQL (a fresh result and a resumed one compare equal)."""
    return json.loads(json.dumps(payload, sort_keys=True, ensure_ascii=False))


def digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def write_members(store: SummaryQueries, run_key: str, groups: dict[str, list[str]]) -> None:
    store.write_summary_members(run_key, groups)


def load(store: SummaryQueries, run_key: str) -> dict[str, SummaryCheckpoint]:
    return store.summary_checkpoints(run_key)


def save(store: SummaryQueries, run_key: str, group_key: str, members_hash: str, n_reports: int, payload: dict, seconds: float) -> None:
    store.save_summary_checkpoint(run_key, group_key, members_hash, n_reports, payload, seconds)


def clear(store: SummaryQueries, run_key: str) -> int:
    return store.clear_summary_checkpoints(run_key)
