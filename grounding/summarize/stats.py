"""Statistics of a run, every number a SQL count over the stored reports (never the model).

All counts join the run's members (its groups) with the reports and their concept links and
GROUP BY (the store's summary queries, grounding/store/summaries.py): events per period,
first/last date, reports per linked concept (split into cause and equipment by the ontology),
declared emergency classes (the field `summarize.emergency_field`), and reactor scrams. A scram
report is one counted by the `[[measure]]` named `summarize.scram_measure` (in config.toml: any
`reactor_units[].scram_code` other than "N" or empty); automatic and manual ones also satisfy
the `[[qualifier]]` named `summarize.scram_automatic` / `scram_manual` on the same list item.
Left empty, the statistic is 0. The overall row counts each report once even when groups overlap
(--by concept).
"""

from __future__ import annotations

from grounding.config import Config, FieldPredicate, SummarizeConfig
from grounding.store.summaries import OVERALL, SummaryQueries
from grounding.summarize.concepts import ConceptIndex
from grounding.summarize.facts import emergency_class

__all__ = ["OVERALL", "compute_stats", "period_of", "scram_conditions"]


def period_of(by: str, first: str | None, last: str | None) -> str:
    """The time bucket of the events-per-period counts: months when the span is short or the groups are years."""
    if by in ("month", "year"):
        return "month"
    if first and last and int(last[:4]) - int(first[:4]) <= 2:
        return "month"
    return "year"


def _empty() -> dict:
    return {
        "n_reports": 0, "first_date": None, "last_date": None, "undated": 0, "per_period": {},
        "scram_reports": 0, "scram_automatic": 0, "scram_manual": 0, "emergency": {},
        "top_causes": [], "top_equipment": [], "top_other": [],
    }


def scram_conditions(cfg: Config) -> tuple[list[FieldPredicate], list[list[FieldPredicate]]] | None:
    """(the scram measure's `where`, [automatic qualifier's, manual qualifier's]), or None when not configured."""
    scfg = cfg.summarize
    measure = next((m for m in cfg.measure if m.name == scfg.scram_measure), None) if scfg.scram_measure else None
    if measure is None or not measure.where:
        return None
    quals = {q.name: q.where for q in cfg.qualifier}
    return list(measure.where), [list(quals.get(name, [])) if name else [] for name in (scfg.scram_automatic, scfg.scram_manual)]


def compute_stats(store: SummaryQueries, run_key: str, by: str, cidx: ConceptIndex, cfg: SummarizeConfig,
                  scram: tuple[list[FieldPredicate], list[list[FieldPredicate]]] | None = None) -> tuple[dict[str, dict], dict, str]:
    """(per-group stats, overall stats, period) for the run's members; `scram` from scram_conditions()."""
    per: dict[str, dict] = {}
    for overall_flag in (False, True):
        for gk, n, first, last, dated in store.summary_spans(run_key, overall_flag):
            st = per.setdefault(gk, _empty())
            st.update(n_reports=n, first_date=first, last_date=last, undated=n - dated)
    overall = per.get(OVERALL, _empty())
    period = period_of(by, overall["first_date"], overall["last_date"])
    width = 7 if period == "month" else 4
    for overall_flag in (False, True):
        for gk, per_, n in store.summary_periods(run_key, overall_flag, width):
            per.setdefault(gk, _empty())["per_period"][per_] = n
        concepts: dict[str, list[tuple[int, str]]] = {}
        for gk, concept, n in store.summary_concepts(run_key, overall_flag):
            concepts.setdefault(gk, []).append((n, concept))
        for gk, items in concepts.items():
            st = per.setdefault(gk, _empty())
            for cat, field in (("cause", "top_causes"), ("equipment", "top_equipment"), ("other", "top_other")):
                chosen = sorted(((-n, cidx.label(c), c) for n, c in items if cidx.counted(c, (cat,))))[: cfg.top_concepts]
                st[field] = [{"concept": c, "label": lab, "reports": -n} for n, lab, c in chosen]
        if cfg.emergency_field:
            for gk, raw, n in store.summary_values(run_key, overall_flag, cfg.emergency_field):
                cls = emergency_class(raw)
                if cls:
                    em = per.setdefault(gk, _empty())["emergency"]
                    em[cls] = em.get(cls, 0) + n
    if scram is not None:
        where, (auto, manual) = scram
        subsets = [c for c in (auto, manual) if c]
        for overall_flag in (False, True):
            for row in store.summary_matches(run_key, overall_flag, where, subsets):
                got = iter(row.subsets)
                st = per.setdefault(row.group_key, _empty())
                st.update(scram_reports=row.reports, scram_automatic=next(got) if auto else 0, scram_manual=next(got) if manual else 0)
    overall = per.pop(OVERALL, _empty())
    for st in [overall, *per.values()]:
        st["per_period"] = dict(sorted(st["per_period"].items()))
        st["emergency"] = dict(sorted(st["emergency"].items(), key=lambda kv: (-kv[1], kv[0])))
    return per, overall, period
