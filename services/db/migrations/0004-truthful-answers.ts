import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  // A dead letter names its cause and, when readable, whose request it was, so that a user whose
  // accepted request was refused can look the refusal up. The dead-letter topic is fed from this
  // table after the commit (an outbox): a broker that refuses the copy never blocks decisions.
  await q(`
    ALTER TABLE dead_letters
      ADD COLUMN reason_code VARCHAR(32) CHARACTER SET ascii NOT NULL DEFAULT 'POISON' AFTER log_offset,
      ADD COLUMN request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL AFTER reason,
      ADD COLUMN campaign_id BIGINT UNSIGNED NULL AFTER request_id,
      ADD COLUMN user_id BIGINT UNSIGNED NULL AFTER campaign_id,
      ADD COLUMN payload_bytes INT UNSIGNED NOT NULL DEFAULT 0 AFTER payload,
      ADD COLUMN published_at DATETIME(3) NULL AFTER created_at,
      ADD COLUMN publish_error VARCHAR(500) NULL AFTER published_at,
      ADD KEY idx_dead_letter_subject (campaign_id, user_id),
      ADD KEY idx_dead_letter_unpublished (published_at, id)`);
  // Letters written before the outbox existed were published before their commit.
  await q(`UPDATE dead_letters SET published_at = created_at, payload_bytes = COALESCE(LENGTH(payload), 0),
             reason_code = IF(reason LIKE 'unknown campaign%', 'UNKNOWN_CAMPAIGN', 'POISON')`);
  // Answers given without touching the log (the campaign was sold out), kept so that they can be
  // looked up by requestId like any decision. Not counted in the campaign counters: those count
  // what the log and the sync path decided.
  await q(`
    CREATE TABLE short_circuit_answers (
      request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
      campaign_id BIGINT UNSIGNED NOT NULL,
      user_id BIGINT UNSIGNED NOT NULL,
      status ENUM('SOLD_OUT','DUPLICATE') NOT NULL,
      answered_at DATETIME(3) NOT NULL,
      KEY idx_short_circuit_campaign_user (campaign_id, user_id)
    ) ENGINE=InnoDB`);
}

export async function down(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  await q('DROP TABLE IF EXISTS short_circuit_answers');
  await q(`
    ALTER TABLE dead_letters
      DROP KEY idx_dead_letter_unpublished, DROP KEY idx_dead_letter_subject,
      DROP COLUMN publish_error, DROP COLUMN published_at, DROP COLUMN payload_bytes,
      DROP COLUMN user_id, DROP COLUMN campaign_id, DROP COLUMN request_id, DROP COLUMN reason_code`);
}
