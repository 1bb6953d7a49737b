"""`grounding ontology ...`: curation commands for domain experts.

This module holds the command group and what its commands share; the commands are in
ontology_files (stats, validate, diff), ontology_review (propose, review, accept, reject),
ontology_explore (audit, link, paths, parts) and ontology_reasoning (reason, test).

  stats [--json] [FILE...]        triples, classes, properties, individuals, labels
  validate [--json] [FILE...]     syntax (file:line), SHACL conventions, ambiguous labels; exit 1 when invalid
  diff [--json] OLD NEW           classes, labels and relations added / removed / changed
  propose                         mine candidate concepts and synonyms from the stored reports into the review queue
  review                          list the review queue
  accept ID --by NAME             write a candidate into the ontology file (Turtle) with provenance
  reject ID --by NAME             reject a candidate (remembered: never proposed again)
  audit [--json]                  embedding-ontology alignment: correlation and misaligned pairs
  link TEXT                       show the concepts the linker finds in a text
  paths A B                       KG paths between two concepts (labels or IRIs); "is A a B?" with its is-a path
  parts X                         what is part of X (part-of edges, through a transitive part of)
  reason [FILE...]                run the reasoner: entailed edges, unsatisfiable classes, consistency (cached)
  test DIR                        competency questions (SPARQL ASK/SELECT, Manchester .omn); exit 1 on a failure

Files default to the configured ontology (`[ontology] files`).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from grounding.cli.context import fail, state

ontology_app = typer.Typer(help="Inspect, validate and curate the ontology.", no_args_is_help=True)
console = Console()


def register(app: typer.Typer) -> None:
    app.add_typer(ontology_app, name="ontology")


def config_files(ctx: typer.Context, files: Optional[list[Path]]) -> list[Path]:
    if files:
        return list(files)
    cfg = state(ctx).cfg
    out = [cfg.resolve(f) for f in cfg.ontology.files]
    if not out:
        fail("no file given and no [ontology] files configured", code=2)
    return out


def import_dirs(ctx: typer.Context) -> list[Path]:
    cfg = state(ctx).cfg
    return [cfg.resolve(d) for d in cfg.ontology.import_dirs]


def load_ontology(ctx: typer.Context):
    from grounding.ontology.loader import OntologyError

    try:
        state(ctx).system.reason_ontology = True  # `ontology` commands materialize entailments (once, cached)
        onto = state(ctx).system.ontology
    except OntologyError as exc:
        fail(str(exc))
    if onto is None:
        fail("no ontology configured ([ontology] files)", code=2)
    return onto


def print_json(data) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def curator_name(by: Optional[str]) -> str:
    if by:
        return by
    try:
        return os.environ.get("GROUNDING_CURATOR") or getpass.getuser()
    except Exception:
        return ""


def resolve_concept_arg(ctx: typer.Context, ref: str, fuzzy: bool = True) -> str:
    """An IRI, a prefixed name (gr:Foo), a local name or a label -> concept IRI (grounding.ontology.review's
    resolution); `fuzzy` adds the linker's whole-text match, for look-ups that write nothing."""
    from grounding.ontology.review import resolve_concept

    onto = load_ontology(ctx)
    linker = state(ctx).system.linker if fuzzy else None
    iri = resolve_concept(onto, ref, state(ctx).cfg.ontology.base_namespace, linker=linker)
    if iri is None:
        fail(f"{ref!r} is not a concept (give an IRI, a prefixed name such as gr:Pump, or an exact label)")
    return iri or ""


# --- the reasoner, shared by validate, diff, reason and test ------------------------------------------
def reasoner_name(ctx: typer.Context, name: str) -> str:
    from grounding.ontology.reasoner import REASONERS

    name = (name or state(ctx).cfg.ontology.reasoner).lower()
    if name not in REASONERS:
        fail(f"--reasoner {name!r}: choose one of {', '.join(REASONERS)}", code=2)
    return name


def load_reasoned(ctx: typer.Context, paths: list[Path], reasoner: str, follow_imports: bool = True, cache_only: bool = False):
    """The files loaded with the reasoner's entailments, cached in the data dir like the configured ontology."""
    from grounding.ontology.graph import OntologyGraph
    from grounding.ontology.loader import OntologyError

    cfg = state(ctx).cfg
    oc = cfg.ontology
    if cache_only and not oc.cache:
        return None
    try:
        return OntologyGraph.load(
            paths, import_dirs=import_dirs(ctx) if follow_imports else None, max_file_bytes=oc.max_file_bytes,
            cache_dir=cfg.data_dir / "ontology-cache" if oc.cache else None, max_triples=oc.max_triples,
            missing_imports=oc.missing_imports, follow_imports=follow_imports, reasoner=reasoner,
            reasoner_timeout_s=oc.reasoner_timeout_s, reasoner_memory_mb=oc.reasoner_memory_mb,
            cache_only=cache_only, reasoner_cache_dir=cfg.reasoner_cache_dir)
    except OntologyError as exc:
        fail(str(exc))


def consistency_issues(ctx: typer.Context, rep, paths: list[Path], reasoner: str) -> None:
    """Inconsistency and unsatisfiable classes (the reasoner's), added to a validation report."""
    from grounding.ontology.curation import Issue, _Locator

    onto = load_reasoned(ctx, paths, reasoner)
    info = onto.reasoning or {}
    ran = info.get("reasoner", reasoner)
    rep.checked.append(f"reasoner ({ran})")
    if ran == "failed":
        rep.issues.append(Issue("warning", "reasoner", f"consistency not checked: {info.get('message', '')}"))
        return
    if not info.get("consistent", True):
        rep.issues.append(Issue("error", "consistency", info.get("message") or "the ontology is inconsistent"))
    loc = _Locator(paths)
    for iri in onto.unsatisfiable:
        f, line = loc.find(iri)
        rep.issues.append(Issue("error", "unsatisfiable", f"class {onto.label(iri)!r} <{iri}> is unsatisfiable (equivalent to "
                                f"owl:Nothing, {ran}): no individual can be one; check its superclasses and disjointness axioms",
                                f, line, iri))
    if ran == "owlrl":
        rep.issues.append(Issue("info", "reasoner", "OWL-RL does not find unsatisfiable classes through class "
                                "definitions; use reasoner = hermit (needs Java) for a full check"))


# The commands register themselves on `ontology_app`, in this order (the order of `--help`).
import grounding.cli.ontology_files  # noqa: E402,F401,I001
import grounding.cli.ontology_review  # noqa: E402,F401
import grounding.cli.ontology_explore  # noqa: E402,F401
import grounding.cli.ontology_reasoning  # noqa: E402,F401
