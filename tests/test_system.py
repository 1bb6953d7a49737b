"""Grounding takes its parts by construction or `use()`, and drops them with `forget()`: never through __dict__."""

from __future__ import annotations

import pytest

from grounding.system import Grounding
from tests.conftest import make_config


def test_parts_are_given_forgotten_and_reported_without_building_them(tmp_path):
    marker = object()
    g = Grounding(make_config(tmp_path, tmp_path / "none.jsonl"), generator=marker)
    assert g.built("generator") and not g.built("embedder")  # asking builds nothing
    assert g.generator is marker
    g.forget("generator")
    assert not g.built("generator")
    with pytest.raises(TypeError, match="no part 'nope'"):
        g.forget("nope")
