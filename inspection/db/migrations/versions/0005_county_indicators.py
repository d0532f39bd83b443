"""county-level indicator figures; 班级数 optional

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The whole verdict (issue 10): countyindicatorvalue keeps each county's declared figure for a
county-level indicator and year, with its source and provenance. schoolyearfigures.classes becomes
nullable, since a school table without 班级数 is read (only G5 then rests on the county's figure);
schoolyearfigures.rented_sports_area: rented sports venues within 10 minutes' walk (方案三（三）, R5);
submission.reading: what reading a school table noted (nine-year splits, rows left out of the evaluation);
signinfailure: failed sign-ins, so the lockout holds across server processes.
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('countyindicatorvalue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('provenance', sa.JSON(), nullable=True),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_id'], ['county.id'], ),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('county_id', 'year', 'indicator_id')
    )
    with op.batch_alter_table('countyindicatorvalue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_countyindicatorvalue_county_id'), ['county_id'], unique=False)
    with op.batch_alter_table('schoolyearfigures', schema=None) as batch_op:
        batch_op.alter_column('classes', existing_type=sa.Float(), nullable=True)
        batch_op.add_column(sa.Column('rented_sports_area', sa.Float(), nullable=True))
    op.add_column('submission', sa.Column('reading', sa.JSON(), nullable=True))
    op.create_table('signinfailure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signinfailure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signinfailure_username'), ['username'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('signinfailure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signinfailure_username'))
    op.drop_table('signinfailure')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('reading')
    with op.batch_alter_table('schoolyearfigures', schema=None) as batch_op:
        batch_op.drop_column('rented_sports_area')
        batch_op.alter_column('classes', existing_type=sa.Float(), nullable=False)
    with op.batch_alter_table('countyindicatorvalue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_countyindicatorvalue_county_id'))
    op.drop_table('countyindicatorvalue')
