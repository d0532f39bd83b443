"""a finding's sentence in English too (finding.message_en)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

Issue 12: the web's English mode shows veto findings (keyword scan, falsification) in English. The
service writes both sentences when it records the finding; rows from before keep "" and show the
Chinese sentence.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('finding') as batch:
        batch.add_column(sa.Column('message_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                   server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('finding') as batch:
        batch.drop_column('message_en')
