"""Referrals and the derived warmth, evidence and strength of contacts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 03:16:11.813681
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('referrals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('direction', sa.String(length=20), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('other_contact_id', sa.Integer(), nullable=True),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('subject_contact_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_referrals_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['other_contact_id'], ['contacts.id'], name=op.f('fk_referrals_other_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_contact_id'], ['contacts.id'], name=op.f('fk_referrals_subject_contact_id_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_referrals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referrals'))
    )
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referrals_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_other_contact_id'), ['other_contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referrals_subject_contact_id'), ['subject_contact_id'], unique=False)
        batch_op.create_index('ix_referrals_user_id_referred_on', ['user_id', 'referred_on'], unique=False)

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cooling_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('next_due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('dormant_after', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('evidence_stage', sa.String(length=20), server_default='card', nullable=False))
        batch_op.add_column(sa.Column('strength_level', sa.Float(), nullable=True))
        batch_op.create_index('ix_contacts_user_id_next_due_on', ['user_id', 'next_due_on'], unique=False)
        batch_op.create_index('ix_contacts_user_id_stage', ['user_id', 'stage'], unique=False)
        batch_op.create_index('ix_contacts_user_id_strength_level', ['user_id', 'strength_level'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_user_id_strength_level')
        batch_op.drop_index('ix_contacts_user_id_stage')
        batch_op.drop_index('ix_contacts_user_id_next_due_on')
        batch_op.drop_column('strength_level')
        batch_op.drop_column('evidence_stage')
        batch_op.drop_column('dormant_after')
        batch_op.drop_column('next_due_on')
        batch_op.drop_column('cooling_on')

    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_index('ix_referrals_user_id_referred_on')
        batch_op.drop_index(batch_op.f('ix_referrals_subject_contact_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_other_contact_id'))
        batch_op.drop_index(batch_op.f('ix_referrals_contact_id'))

    op.drop_table('referrals')
