import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  // Messages of the campaign taken off the log (decided, or skipped as a retry of a decided
  // request): with the API's accept counter it gives `pending` without counting rows.
  await q('ALTER TABLE campaigns ADD COLUMN log_resolved_count BIGINT UNSIGNED NOT NULL DEFAULT 0');
  // Written by the API in small periodic increments, a row of its own so that it never waits
  // on the campaign row the consumer holds locked.
  await q(`
    CREATE TABLE campaign_accepts (
      campaign_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      accepted BIGINT UNSIGNED NOT NULL DEFAULT 0
    ) ENGINE=InnoDB`);
  await q(`
    CREATE TABLE dead_letters (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      topic VARCHAR(249) CHARACTER SET ascii NOT NULL,
      log_partition INT NOT NULL,
      log_offset BIGINT NOT NULL,
      reason VARCHAR(500) NOT NULL,
      message_key VARBINARY(256) NULL,
      payload MEDIUMBLOB NULL,
      created_at DATETIME(3) NOT NULL,
      replayed_at DATETIME(3) NULL,
      UNIQUE KEY uq_dead_letter_position (topic, log_partition, log_offset)
    ) ENGINE=InnoDB`);
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.sequelize.query('DROP TABLE IF EXISTS dead_letters');
  await qi.sequelize.query('DROP TABLE IF EXISTS campaign_accepts');
  await qi.sequelize.query('ALTER TABLE campaigns DROP COLUMN log_resolved_count');
}
