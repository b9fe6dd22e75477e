"""Sources, articles, claims with tags, evidence and the claim history.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from tracker.db.insert_only import create_triggers, drop_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# History is insert-only: the database itself refuses to change or remove it.
HISTORY_TABLES = ("evidence", "claim_event")


def upgrade() -> None:
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("name_folded", name=op.f("uq_source_name_folded")),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        # MariaDB/MySQL cannot index whole text: there, an article's URL is unique
        # from revision 0003 on (its hash), and tracker databases start at 0006.
        *([] if _on_mysql() else [sa.UniqueConstraint("url", name=op.f("uq_article_url"))]),
    )
    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_norm", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("said_on", sa.Date(), nullable=False),
        sa.Column("expected_text", sa.Text(), nullable=True),
        sa.Column("expected_start", sa.Date(), nullable=True),
        sa.Column("expected_end", sa.Date(), nullable=True),
        sa.Column("hedge", sa.String(length=40), nullable=True),
        sa.Column("likelihood", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'refuted', 'disputed')",
            name=op.f("ck_claim_status"),
        ),
        sa.CheckConstraint("likelihood >= 0 AND likelihood <= 1", name=op.f("ck_claim_likelihood")),
        sa.CheckConstraint("expected_start <= expected_end", name=op.f("ck_claim_expected_window")),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_claim_article_id_article")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_claim_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        sa.UniqueConstraint("key", name=op.f("uq_claim_key")),
    )
    op.create_index("ix_claim_status_expected_end", "claim", ["status", "expected_end"])
    op.create_index("ix_claim_source_status", "claim", ["source_id", "status"])
    op.create_index("ix_claim_subject", "claim", ["subject"])
    op.create_index("ix_claim_text_norm", "claim", ["text_norm"], mysql_length=255)
    op.create_table(
        "claim_tag",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_tag_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("claim_id", "tag", name=op.f("pk_claim_tag")),
    )
    op.create_index("ix_claim_tag_tag", "claim_tag", ["tag", "claim_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "stance IN ('confirms', 'refutes', 'supports', 'contradicts')",
            name=op.f("ck_evidence_stance"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_evidence_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_evidence_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    op.create_index("ix_evidence_claim_id", "evidence", ["claim_id"])
    op.create_table(
        "claim_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=24), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("resolved_as", sa.String(length=16), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.CheckConstraint(
            "event IN ('created', 'edited', 'evidence_added', 'evidence_retracted', 'resolved')",
            name=op.f("ck_claim_event_event"),
        ),
        sa.CheckConstraint(
            "to_status IN ('pending', 'confirmed', 'refuted', 'disputed')",
            name=op.f("ck_claim_event_to_status"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_event_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_claim_event_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_event")),
    )
    op.create_index("ix_claim_event_claim_id", "claim_event", ["claim_id", "id"])
    op.create_index("ix_claim_event_recorded_at", "claim_event", ["recorded_at"])
    op.create_index("ix_claim_event_evidence_id", "claim_event", ["evidence_id"])
    _create_insert_only_triggers()


def downgrade() -> None:
    _drop_insert_only_triggers()
    op.drop_table("claim_event")
    op.drop_table("evidence")
    op.drop_table("claim_tag")
    op.drop_table("claim")
    op.drop_table("article")
    op.drop_table("source")


def _on_mysql() -> bool:
    return op.get_bind().dialect.name in ("mysql", "mariadb")


def _create_insert_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION tracker_refuse_history_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is insert-only history: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END;
            $$ LANGUAGE plpgsql
            """
        )
    for table in HISTORY_TABLES:
        create_triggers(table)


def _drop_insert_only_triggers() -> None:
    for table in HISTORY_TABLES:
        drop_triggers(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION tracker_refuse_history_change()")
