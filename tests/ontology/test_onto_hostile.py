"""Issue 18, findings 2, 3 and the backup cap: curator input cannot write arbitrary Turtle, the
catalog cannot reach outside the import folders, accept keeps at most ontology.max_backups."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from tests.ontology.conftest import GR, MINI_TTL

EDG = f"{GR}EmergencyDieselGenerator"


@pytest.mark.parametrize("name", [
    'mallory\n<urn:s> <urn:p> "INJECTED" .\n#',
    "mallory\r<urn:s> <urn:p> <urn:o> .",
    'bob" ; <urn:p> "x',
    "eve <urn:s>",
    "a#b",
    "x" * 65,
    "\u2028<urn:s> <urn:p> <urn:o> .",
])
def test_a_curator_name_outside_the_allowed_characters_is_refused_and_the_file_is_unchanged(mini_path, tmp_path, name):
    from grounding.ontology.accept import AcceptError, accept_into_file

    with pytest.raises(AcceptError) as exc:
        accept_into_file(mini_path, kind="synonym", term="standby diesel", concept=EDG, by=name, reports=["nrc:1"],
                         backup_dir=tmp_path / "bak")
    assert "curator name" in str(exc.value) and "\n" not in str(exc.value)
    assert mini_path.read_text(encoding="utf-8") == MINI_TTL
    assert not (tmp_path / "bak").exists()


@pytest.mark.parametrize("name", ["Kim Min-jun", "o'brien", "j.doe@plant", "김민준", "curator_2"])
def test_ordinary_curator_names_are_accepted_and_written_as_one_literal(mini_path, name):
    from grounding.ontology.accept import accept_into_file

    before = len(Graph().parse(mini_path, format="turtle"))
    res = accept_into_file(mini_path, kind="synonym", term="standby diesel", concept=EDG, by=name, reports=["nrc:1"])
    g = Graph().parse(mini_path, format="turtle")
    assert len(g) > before and "INJECTED" not in mini_path.read_text(encoding="utf-8")
    assert any(str(o) == name for o in g.objects(None, None)) and res.block.count("\n# ") <= 1


def test_accept_refuses_a_file_whose_triples_differ_from_the_intended_change(mini_path, monkeypatch):
    """Whatever escapes into the block (here a term whose comment line would smuggle a triple), the
    re-parse comparison refuses the write."""
    import grounding.ontology.accept as accept

    monkeypatch.setattr(accept, "_comment", lambda text: text + "\n<urn:s> <urn:p> \"INJECTED\" .")
    with pytest.raises(accept.AcceptError, match="differ from the intended change"):
        accept.accept_into_file(mini_path, kind="synonym", term="standby diesel", concept=EDG, by="bob", reports=["nrc:1"])
    assert mini_path.read_text(encoding="utf-8") == MINI_TTL



def test_backups_are_capped(mini_path, tmp_path):
    from grounding.ontology.accept import accept_into_file

    bak = tmp_path / "bak"
    for i in range(5):
        accept_into_file(mini_path, kind="synonym", term=f"standby diesel {chr(97 + i)}", concept=EDG, by="bob",
                         reports=["nrc:1"], backup_dir=bak, max_backups=2)
    kept = sorted(bak.iterdir())
    assert len(kept) == 2
    # the newest two: the file as it was before the 4th and before the 5th accept
    older, newer = (k.read_text(encoding="utf-8") for k in kept)
    assert "standby diesel c" in older and "standby diesel d" not in older
    assert "standby diesel d" in newer and "standby diesel e" not in newer


def test_max_backups_is_a_config_key():
    from grounding.config import Config

    assert Config.model_validate({}).ontology.max_backups == 20
    assert Config.model_validate({"ontology": {"max_backups": 3}}).ontology.max_backups == 3


def test_a_catalog_entry_outside_the_import_folders_is_not_loaded(tmp_path):
    from grounding.ontology.loader import ImportResolver

    lib = tmp_path / "lib"
    outside = tmp_path / "outside"
    lib.mkdir()
    outside.mkdir()
    (outside / "secret.ttl").write_text(f"<{GR}Secret> a <http://www.w3.org/2002/07/owl#Class> .")
    (lib / "inside.ttl").write_text(f"<{GR}Inside> a <http://www.w3.org/2002/07/owl#Class> .")
    (lib / "catalog-v001.xml").write_text(
        '<?xml version="1.0"?><catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        '<uri name="http://elsewhere.org/secret" uri="../outside/secret.ttl"/>'
        f'<uri name="http://elsewhere.org/abs" uri="{outside / "secret.ttl"}"/>'
        '<uri name="http://elsewhere.org/inside" uri="inside.ttl"/></catalog>')
    (lib / "link.ttl").symlink_to(outside / "secret.ttl")
    r = ImportResolver([lib])
    assert r.resolve("http://elsewhere.org/secret") is None
    assert r.resolve("http://elsewhere.org/abs") is None
    assert r.resolve("http://elsewhere.org/inside") == (lib / "inside.ttl").resolve()
    assert all(Path(f).resolve().is_relative_to(lib.resolve()) for f in r.files())  # the symlink out is not followed
    assert r.resolve("http://elsewhere.org/link") is None
