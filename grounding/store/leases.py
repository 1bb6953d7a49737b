"""Leases on published index generations: the SQL side of "several servers, one store".

A reading process (a server) upserts one row naming the generation it has loaded and renews it
while it runs; the process that publishes a new generation asks which generations are still
held before deleting old ones. A process that dies simply stops renewing: its row lapses after
`storage.lease_ttl_s` and is removed by the next writer. Times are Unix seconds from each
process's clock, so machines sharing a store need clocks within a small fraction of the TTL
(NTP gives milliseconds; the default TTL is a minute).
"""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

from sqlalchemy import delete, select

from grounding.store.schema import IndexLease


@runtime_checkable
class IndexLeases(Protocol):
    """Which published index generations are in use (grounding/index/generations.py)."""

    def lease_generation(self, holder: str, generation: int) -> None:
        """Hold (or renew the hold on) `generation` for `holder`; a holder holds one generation."""
        ...

    def release_lease(self, holder: str) -> None: ...

    def leased_generations(self, ttl_s: float) -> set[int]:
        """Generations held by a lease renewed within `ttl_s`; lapsed leases are deleted."""
        ...


class SqlIndexLeases:
    """IndexLeases on the `index_leases` table (mixed into SqlStore)."""

    def lease_generation(self, holder: str, generation: int) -> None:
        with self.session() as s:  # type: ignore[attr-defined]
            s.merge(IndexLease(holder=holder, generation=int(generation), renewed=time.time()))

    def release_lease(self, holder: str) -> None:
        with self.session() as s:  # type: ignore[attr-defined]
            s.execute(delete(IndexLease).where(IndexLease.holder == holder))

    def leased_generations(self, ttl_s: float) -> set[int]:
        cutoff = time.time() - ttl_s
        with self.session() as s:  # type: ignore[attr-defined]
            s.execute(delete(IndexLease).where(IndexLease.renewed < cutoff))
            return {int(g) for g in s.scalars(select(IndexLease.generation)).all()}
