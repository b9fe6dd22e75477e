"""The evidence inbox: feeds watched, articles read, suggestions made.

- feed: the feeds `tracker watch` reads by default, with the ETag and Last-Modified
  the server sent last, for a conditional GET.
- watched_article: each revision of an article read from a feed, a page or a file
  (url, title, outlet, published date, text, when it was fetched); unique by
  (digest of its URL, revision).
- suggestion: an article revision that may be evidence for an open claim (score,
  stance) and what a person decided (accepted as evidence, rejected, or superseded by
  a later revision); one per article revision and claim.

New tables only: no existing row changes, and the downgrade drops them (refused while
they hold a decision a person made, which nothing before 0007 can keep).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import context, op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STATES = ("open", "accepted", "rejected", "superseded")
STANCES = ("for", "against", "observing")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_hash", sa.String(length=32), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("checked_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed")),
        sa.UniqueConstraint("url_hash", name=op.f("uq_feed_url_hash")),
    )
    op.create_table(
        "watched_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("url_hash", sa.String(length=32), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=32), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("feed_url", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watched_article")),
    )
    op.create_index(
        "ix_watched_article_url_hash", "watched_article", ["url_hash", "revision"], unique=True
    )
    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("suggested_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(_one_of("stance", STANCES), name=op.f("ck_suggestion_stance")),
        sa.CheckConstraint(_one_of("state", STATES), name=op.f("ck_suggestion_state")),
        sa.CheckConstraint("score >= 0 AND score <= 1", name=op.f("ck_suggestion_score")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["watched_article.id"],
            name=op.f("fk_suggestion_article_id_watched_article"),
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_suggestion_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
    )
    op.create_index(
        "ix_suggestion_article_id", "suggestion", ["article_id", "claim_id"], unique=True
    )
    op.create_index("ix_suggestion_state_claim_id", "suggestion", ["state", "claim_id"])
    op.create_index("ix_suggestion_claim_id", "suggestion", ["claim_id"])


def refusal(connection: sa.Connection, target: str | None) -> str | None:
    """Why this revision cannot be undone on the way to `target` (None: base, where every
    table goes), before any revision is: tracker.db.migrate asks first."""
    decided = connection.exec_driver_sql(
        "SELECT count(*) FROM suggestion WHERE state IN ('accepted', 'rejected')"
    ).scalar()
    if decided and target is not None:
        return (
            "the inbox holds suggestions a person accepted or rejected: revision 0006 "
            "cannot keep them (the evidence they became stays either way)"
        )
    return None


def downgrade() -> None:
    refused = refusal(op.get_bind(), context.get_revision_argument())
    if refused:
        raise RuntimeError(refused)
    op.drop_table("suggestion")  # with its indexes
    op.drop_table("watched_article")
    op.drop_table("feed")
