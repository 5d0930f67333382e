import type { QueryInterface } from 'sequelize';

export async function up(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  await q(`
    CREATE TABLE campaigns (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      total_stock INT UNSIGNED NOT NULL,
      current_stock INT UNSIGNED NOT NULL,
      success_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
      sold_out_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
      duplicate_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
      starts_at DATETIME(3) NULL,
      ends_at DATETIME(3) NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      CONSTRAINT chk_campaign_stock CHECK (current_stock <= total_stock)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  // winner_user_id is NULL unless the row is a win, so the unique key below lets a user lose any
  // number of times but win at most once per campaign, whichever path (sync, Kafka) decided it.
  await q(`
    CREATE TABLE participations (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      campaign_id BIGINT UNSIGNED NOT NULL,
      user_id BIGINT UNSIGNED NOT NULL,
      request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      status ENUM('SUCCESS','SOLD_OUT','DUPLICATE') NOT NULL,
      source ENUM('KAFKA','SYNC') NOT NULL,
      log_partition INT NULL,
      log_offset BIGINT NULL,
      accepted_at DATETIME(3) NOT NULL,
      decided_at DATETIME(3) NOT NULL,
      winner_user_id BIGINT UNSIGNED AS (IF(status = 'SUCCESS', user_id, NULL)) STORED,
      UNIQUE KEY uq_participation_request (request_id),
      UNIQUE KEY uq_participation_winner (campaign_id, winner_user_id),
      KEY idx_participation_campaign_user (campaign_id, user_id),
      KEY idx_participation_campaign_offset (campaign_id, log_partition, log_offset),
      KEY idx_participation_decided (decided_at, campaign_id),
      CONSTRAINT fk_participation_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  // The consumer's position lives next to its effects and is written in the same transaction.
  await q(`
    CREATE TABLE consumer_offsets (
      consumer_group VARCHAR(200) CHARACTER SET ascii NOT NULL,
      topic VARCHAR(249) CHARACTER SET ascii NOT NULL,
      log_partition INT NOT NULL,
      next_offset BIGINT NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      PRIMARY KEY (consumer_group, topic, log_partition)
    ) ENGINE=InnoDB`);
}

export async function down(qi: QueryInterface): Promise<void> {
  await qi.sequelize.query('DROP TABLE IF EXISTS consumer_offsets');
  await qi.sequelize.query('DROP TABLE IF EXISTS participations');
  await qi.sequelize.query('DROP TABLE IF EXISTS campaigns');
}
