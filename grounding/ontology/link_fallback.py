"""Fallbacks for questions (`Linker.link(fuzzy=True)`): rapidfuzz near-spellings of labels and an
optional embedding match of unlinked phrases (split from linker.py; reports never use these)."""

from __future__ import annotations

from rapidfuzz import fuzz, process

from grounding.ontology.graph import split_camel
from grounding.ontology.link_tokens import _STOP, Mention, _hangul_only


class FallbackLinking:
    """Mixed into Linker: uses its `_fuzzy_by_n`, `fuzzy_threshold`, `embedder`, `labels_for`."""

    def _fallback(self, text: str, units, covered: list[bool]) -> list[Mention]:
        out: list[Mention] = []
        n = len(units)
        norm = [u[1] for u in units]
        i = 0
        while i < n:
            if covered[i] or norm[i] in _STOP or len(norm[i]) < 3 or not norm[i].isalpha():
                i += 1
                continue
            best = None
            for m, (labels, iris) in sorted(self._fuzzy_by_n.items(), reverse=True):
                if i + m > n or any(covered[i : i + m]) or norm[i + m - 1] in _STOP:
                    continue
                q = " ".join(norm[i : i + m])
                if m == 1 and len(q) < 6:
                    continue
                hit = process.extractOne(q, labels, scorer=fuzz.ratio, score_cutoff=self.fuzzy_threshold)
                if hit is not None and (best is None or hit[1] > best[2]):
                    best = (m, iris[hit[2]], hit[1])
            if best is not None:
                m, iri, score = best
                s, e = units[i][2], units[i + m - 1][3]
                out.append(Mention(iri, s, e, text[s:e], round(0.9 * score / 100.0, 4), "fuzzy"))
                for k in range(i, i + m):
                    covered[k] = True
                i += m
                continue
            i += 1
        if self.embedder is not None and self.embedding_threshold > 0:
            out += self._embedding_fallback(text, units, covered)
        return out

    def _label_matrix(self):
        if self._emb is None:
            with self._emb_lock:
                if self._emb is None:
                    pairs = [(t, iri) for iri, ts in sorted(self.labels_for.items()) for t in dict.fromkeys(ts) if not _hangul_only(t)]
                    vecs = self.embedder.embed_queries([split_camel(t) for t, _ in pairs]) if pairs else None
                    self._emb = (vecs, [iri for _, iri in pairs], [t for t, _ in pairs])
        return self._emb

    def _embedding_fallback(self, text: str, units, covered: list[bool]) -> list[Mention]:
        import numpy as np

        vecs, iris, _labels = self._label_matrix()
        if vecs is None:
            return []
        spans = []
        n = len(units)
        for i in range(n):
            for m in range(1, 5):
                j = i + m
                if j > n or any(covered[i:j]):
                    break
                words = [u[1] for u in units[i:j]]
                if words[0] in _STOP or words[-1] in _STOP or not all(w.isalpha() for w in words):
                    continue
                spans.append((i, j))
        if not spans:
            return []
        spans = spans[:64]
        q = self.embedder.embed_queries([text[units[i][2] : units[j - 1][3]] for i, j in spans])
        sims = np.asarray(q) @ np.asarray(vecs).T
        cands = []
        for row, (i, j) in enumerate(spans):
            k = int(sims[row].argmax())
            if sims[row, k] >= self.embedding_threshold:
                cands.append((float(sims[row, k]), i, j, iris[k]))
        out = []
        for score, i, j, iri in sorted(cands, reverse=True):
            if any(covered[i:j]):
                continue
            s, e = units[i][2], units[j - 1][3]
            out.append(Mention(iri, s, e, text[s:e], round(0.8 * score, 4), "embedding"))
            for k in range(i, j):
                covered[k] = True
        return out
