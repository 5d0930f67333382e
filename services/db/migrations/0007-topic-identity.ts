import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  // Which log an offset belongs to: a topic deleted and created again restarts at offset 0 under
  // the same name, and the stored offset must not be taken as a position in it. NULL on rows from
  // before: the consumer records the topic it finds at its next start.
  await qi.sequelize.query('ALTER TABLE consumer_offsets ADD COLUMN topic_id VARCHAR(32) CHARACTER SET ascii NULL');
  // A dead letter's position is a position in one incarnation of the topic: once a recreated
  // topic is accepted, its letters must not be dropped as repeats of the old topic's ones.
  await qi.sequelize.query(`
    ALTER TABLE dead_letters
      ADD COLUMN topic_id VARCHAR(32) CHARACTER SET ascii NULL,
      DROP INDEX uq_dead_letter_position,
      ADD UNIQUE KEY uq_dead_letter_position (topic, topic_id, log_partition, log_offset)`);
}

export async function down(qi: QueryInterface): Promise<void> {
  // Fails while letters of two incarnations share a position: which one to keep is an operator's call.
  await qi.sequelize.query(`
    ALTER TABLE dead_letters
      DROP INDEX uq_dead_letter_position,
      ADD UNIQUE KEY uq_dead_letter_position (topic, log_partition, log_offset),
      DROP COLUMN topic_id`);
  await qi.sequelize.query('ALTER TABLE consumer_offsets DROP COLUMN topic_id');
}
