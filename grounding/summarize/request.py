"""What a summarization run is asked to do, validated before any work starts."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

DIMENSIONS = ("facility", "concept", "month", "year")
FORMATS = ("md", "html", "json")
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _bound(value: str | None, name: str, end: bool) -> str | None:
    """"2005" / "2005-03" / "2005-03-14" -> an inclusive ISO bound (start or end of the period)."""
    if value is None or str(value).strip() == "":
        return None
    m = _PARTIAL_DATE.match(str(value).strip())
    if not m:
        raise ValueError(f"{name}: {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    try:
        if d is not None:
            return date(y, int(mo), int(d)).isoformat()
        if mo is not None:
            last = calendar.monthrange(y, int(mo))[1]
            return date(y, int(mo), last if end else 1).isoformat()
        return date(y, 12, 31).isoformat() if end else date(y, 1, 1).isoformat()
    except ValueError as exc:
        raise ValueError(f"{name}: {value!r} is not a valid date ({exc})") from None


@dataclass
class SummarizeRequest:
    """`by` is facility | concept | month | year, or the name of any stored field or metadata key
    (e.g. "event_type", "state"); `where` filters on the same names (KEY=VALUE, case-insensitive;
    `facility` ignores case and spacing, `concept` also matches narrower concepts)."""

    by: Literal["facility", "concept", "month", "year"] | str = "facility"
    where: dict[str, str] = field(default_factory=dict)
    since: str | None = None
    until: str | None = None
    fmt: Literal["md", "html", "json"] = "md"
    force: bool = False
    workers: int | None = None

    def __post_init__(self) -> None:
        self.by = str(self.by or "").strip().lower()
        if not _FIELD.match(self.by):
            raise ValueError(f"by: {self.by!r} is not a field name; use one of {', '.join(DIMENSIONS)} or a metadata key")
        if self.fmt not in FORMATS:
            raise ValueError(f"fmt: {self.fmt!r} is not one of {', '.join(FORMATS)}")
        if not isinstance(self.where, dict):
            raise ValueError("where: expected a mapping of field name to value")
        clean: dict[str, str] = {}
        for k, v in self.where.items():
            key = str(k).strip().lower()
            if not _FIELD.match(key):
                raise ValueError(f"where: {k!r} is not a field name")
            if v is None or str(v).strip() == "":
                raise ValueError(f"where: {k} has an empty value")
            clean[key] = str(v).strip()
        self.where = dict(sorted(clean.items()))
        self.since = _bound(self.since, "since", end=False)
        self.until = _bound(self.until, "until", end=True)
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")
        if self.workers is not None and (not isinstance(self.workers, int) or self.workers < 1):
            raise ValueError("workers must be a positive integer")

    def describe(self) -> dict:
        """What identifies the selection (the same for a resumed run)."""
        return {"by": self.by, "where": self.where, "since": self.since, "until": self.until}


def parse_where(items: list[str] | None) -> dict[str, str]:
    """["facility=OCONEE", "corpus=nrc"] -> {"facility": "OCONEE", "corpus": "nrc"} (CLI form)."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(f"--where {item!r}: expected KEY=VALUE")
        out[key.strip()] = value.strip()
    return out
