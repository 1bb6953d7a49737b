from pathlib import Path

import pytest

from grounding.config import ConfigError, load_config

REPO = Path(__file__).resolve().parents[1]


def test_bundled_config_loads_and_resolves_paths_against_its_folder():
    cfg = load_config(REPO / "config.toml")
    assert cfg.corpus[0].name == "nrc"
    assert cfg.resolve(cfg.corpus[0].path) == REPO / "corpora" / "nrc" / "events.jsonl.gz"
    assert cfg.database_url == f"sqlite:///{REPO / '.grounding' / 'grounding.db'}"


def test_unknown_key_fails_naming_the_key(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[retrieval]\ntop_kk = 5\n')
    with pytest.raises(ConfigError, match=r"retrieval\.top_kk"):
        load_config(p)


def test_wrong_type_fails_naming_the_key(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[generator.sampling]\ntemperature = "hot"\n')
    with pytest.raises(ConfigError, match=r"generator\.sampling\.temperature"):
        load_config(p)


def test_corpus_without_id_is_refused(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('[[corpus]]\nname = "x"\npath = "x.jsonl"\nformat = "jsonl"\ntext = ["t"]\n')
    with pytest.raises(ConfigError, match="set 'id'"):
        load_config(p)


def test_data_dir_override_and_missing_file(tmp_path):
    cfg = load_config(REPO / "config.toml", data_dir=tmp_path / "dd")
    assert cfg.data_dir == (tmp_path / "dd").resolve()
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
