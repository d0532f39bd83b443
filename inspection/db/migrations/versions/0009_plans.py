"""saved what-if plans (推演方案), versioned

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Issue 15: a county or the committee saves a what-if plan; each save of a name is a new version,
compared side by side and attached to the annual plan or a rectification.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('savedplan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('attached_to', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['county.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'name', 'version'),
    )
    op.create_index(op.f('ix_savedplan_county_id'), 'savedplan', ['county_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_savedplan_county_id'), table_name='savedplan')
    op.drop_table('savedplan')
