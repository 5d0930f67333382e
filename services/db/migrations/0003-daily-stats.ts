import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  // A participation belongs to the day it was accepted (when the user pressed the button). The
  // aggregator reads one campaign's day at a time, and with status and user in the index it
  // never touches the rows themselves; the old decided_at index served nothing.
  await q(
    'ALTER TABLE participations ADD KEY idx_participation_campaign_accepted (campaign_id, accepted_at, status, user_id), DROP KEY idx_participation_decided',
  );
  await q(`
    CREATE TABLE campaign_stats (
      campaign_id BIGINT UNSIGNED NOT NULL,
      stat_date DATE NOT NULL,
      time_zone VARCHAR(64) CHARACTER SET ascii NOT NULL,
      total_participations BIGINT UNSIGNED NOT NULL,
      success_count BIGINT UNSIGNED NOT NULL,
      sold_out_count BIGINT UNSIGNED NOT NULL,
      duplicate_count BIGINT UNSIGNED NOT NULL,
      unique_users BIGINT UNSIGNED NOT NULL,
      first_accepted_at DATETIME(3) NULL,
      last_accepted_at DATETIME(3) NULL,
      execution_id BIGINT UNSIGNED NOT NULL,
      aggregated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (campaign_id, stat_date),
      KEY idx_campaign_stats_date (stat_date)
    ) ENGINE=InnoDB`);
  // running_key is set only while a run is in progress: the unique key refuses a second
  // concurrent run of the same job and day, whichever process tries.
  await q(`
    CREATE TABLE batch_executions (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      job_name VARCHAR(100) CHARACTER SET ascii NOT NULL,
      stat_date DATE NOT NULL,
      parameters JSON NOT NULL,
      status ENUM('STARTED','COMPLETED','PARTIAL','FAILED') NOT NULL,
      running_key VARCHAR(120) CHARACTER SET ascii NULL,
      started_at DATETIME(3) NOT NULL,
      heartbeat_at DATETIME(3) NOT NULL,
      ended_at DATETIME(3) NULL,
      error TEXT NULL,
      UNIQUE KEY uq_batch_running (running_key),
      KEY idx_batch_started (started_at)
    ) ENGINE=InnoDB`);
  await q(`
    CREATE TABLE batch_execution_steps (
      execution_id BIGINT UNSIGNED NOT NULL,
      campaign_id BIGINT UNSIGNED NOT NULL,
      status ENUM('COMPLETED','FAILED') NOT NULL,
      rows_read BIGINT UNSIGNED NOT NULL DEFAULT 0,
      duration_ms INT UNSIGNED NOT NULL,
      error TEXT NULL,
      PRIMARY KEY (execution_id, campaign_id),
      CONSTRAINT fk_step_execution FOREIGN KEY (execution_id) REFERENCES batch_executions (id) ON DELETE CASCADE
    ) ENGINE=InnoDB`);
}

export async function down(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  await q('DROP TABLE IF EXISTS batch_execution_steps');
  await q('DROP TABLE IF EXISTS batch_executions');
  await q('DROP TABLE IF EXISTS campaign_stats');
  await q('ALTER TABLE participations ADD KEY idx_participation_decided (decided_at, campaign_id), DROP KEY idx_participation_campaign_accepted');
}
