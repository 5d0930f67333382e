import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  // How far the decider has come in time, beside its offset: the aggregation of a day waits until
  // every entry accepted before the day's end is decided. decided_through is written with the
  // offset in each batch's transaction; caught_up_at only while the stored offset is at the log end.
  await qi.sequelize.query(`
    ALTER TABLE consumer_offsets
      ADD COLUMN decided_through DATETIME(3) NULL,
      ADD COLUMN caught_up_at DATETIME(3) NULL`);
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.sequelize.query('ALTER TABLE consumer_offsets DROP COLUMN caught_up_at, DROP COLUMN decided_through');
}
