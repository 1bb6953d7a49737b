"""Baseline: the schema as of SCHEMA_VERSION 2 (reports, chunks, links, runs, rejects, kv, review queue,
summary checkpoints).

Revision ID: 0001
Revises:
Create Date: 2026-12-02

A fresh database gets every table here. A database made before migrations existed (no
alembic_version table) is brought to this schema the way the hand-written upgrade always did it:
missing tables are created, missing columns added (additively, nothing dropped or rewritten) and
missing indexes created; when a column was added to reports or chunks every report is marked
changed (content_hash = text_hash = ""), so the next ingest refills the new columns. Chunks whose
text is unchanged keep their ids and vectors: nothing is re-embedded.

The tables are frozen copies, not the live models: later revisions change the schema, this one
never does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> sa.MetaData:
    md = sa.MetaData()
    tz = sa.DateTime(timezone=True)
    sa.Table(
        "reports", md,
        sa.Column("id", sa.String(255), primary_key=True),
        sa.Column("corpus", sa.String(64), nullable=False, index=True),
        sa.Column("source_id", sa.String(191), nullable=False, index=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("date", sa.String(10), nullable=True, index=True),
        sa.Column("facility", sa.Text, nullable=True),
        sa.Column("facility_key", sa.String(255), nullable=True, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=True),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("source_location", sa.Text, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
    )
    sa.Table(
        "chunks", md,
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("report_id", sa.String(255), sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("ord", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("start_char", sa.Integer, nullable=False),
        sa.Column("corpus", sa.String(64), nullable=True, index=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("date", sa.String(10), nullable=True, index=True),
        sa.Column("facility", sa.Text, nullable=True),
        sa.Column("facility_key", sa.String(255), nullable=True),
        sa.Column("meta", sa.JSON, nullable=True),
        sa.Column("flags", sa.JSON, nullable=True),
        sa.Index("ix_chunks_facility_date", "facility_key", "date"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "report_concepts", md,
        sa.Column("report_id", sa.String(255), sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("concept", sa.String(512), primary_key=True),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("first_span", sa.String(64), nullable=False),
        sa.Index("ix_report_concepts_concept", "concept"),
    )
    sa.Table(
        "ingest_runs", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", tz, nullable=False),
        sa.Column("finished_at", tz, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("corpora", sa.JSON, nullable=True),
        sa.Column("stats", sa.JSON, nullable=False),
    )
    sa.Table(
        "rejects", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, nullable=True, index=True),
        sa.Column("corpus", sa.String(64), nullable=False, index=True),
        sa.Column("source_path", sa.Text, nullable=False),
        sa.Column("location", sa.Text, nullable=False),
        sa.Column("record_id", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("severity", sa.String(16), nullable=True),
        sa.Column("created_at", tz, nullable=False),
    )
    sa.Table(
        "kv", md,
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("value", sa.JSON, nullable=False),
    )
    sa.Table(
        "ontology_candidates", md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("term", sa.String(255), nullable=False),
        sa.Column("term_key", sa.String(255), nullable=False),
        sa.Column("concept", sa.String(512), nullable=False),
        sa.Column("abbreviation", sa.String(32), nullable=False),
        sa.Column("reports", sa.Integer, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("examples", sa.JSON, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("evidence", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", tz, nullable=False),
        sa.Column("updated_at", tz, nullable=False),
        sa.Column("decided_by", sa.String(128), nullable=False),
        sa.Column("decided_at", tz, nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("accepted_iri", sa.String(512), nullable=False),
        sa.UniqueConstraint("kind", "term_key", "concept", name="uq_ontology_candidate"),
        sa.Index("ix_ontology_candidates_status", "status"),
    )
    sa.Table(
        "summary_members", md,
        sa.Column("run_key", sa.String(64), primary_key=True),
        sa.Column("group_key", sa.String(255), primary_key=True),
        sa.Column("report_id", sa.String(255), primary_key=True),
    )
    sa.Table(
        "summary_checkpoints", md,
        sa.Column("run_key", sa.String(64), primary_key=True),
        sa.Column("group_key", sa.String(255), primary_key=True),
        sa.Column("members_hash", sa.String(64), nullable=False),
        sa.Column("n_reports", sa.Integer, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("created_at", tz, nullable=False),
    )
    return md


def upgrade() -> None:
    conn = op.get_bind()
    md = _tables()
    insp = sa.inspect(conn)
    existing = {t.name for t in md.sorted_tables if insp.has_table(t.name)}
    md.create_all(conn, tables=[t for t in md.sorted_tables if t.name not in existing])
    added: set[str] = set()
    for table in md.sorted_tables:
        if table.name not in existing:
            continue
        have = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name not in have:
                ddl = col.type.compile(dialect=conn.dialect)
                conn.execute(sa.text(f'ALTER TABLE {table.name} ADD COLUMN "{col.name}" {ddl}'))
                added.add(table.name)
    if added & {"reports", "chunks"}:
        conn.execute(sa.text("UPDATE reports SET content_hash = '', text_hash = ''"))
    if existing:
        for table in md.sorted_tables:
            for ix in table.indexes:
                ix.create(conn, checkfirst=True)


def downgrade() -> None:
    for name in ("summary_checkpoints", "summary_members", "ontology_candidates", "kv", "rejects", "ingest_runs",
                 "report_concepts", "chunks", "reports"):
        op.drop_table(name)
