import { QueryTypes, Transaction, type QueryInterface } from 'sequelize';

/**
 * Expand: the one-win-per-user promise moves to a small table of its own, `campaign_winners`,
 * written by both deciders in the transaction of the win; `participations` keeps its old winner
 * key (the stored column `winner_user_id` under `uq_participation_winner`) for as long as code of
 * the previous release may still be running.
 *
 * This migration runs as a pre-upgrade hook while the previous release's API and consumer still
 * run. They know nothing of `campaign_winners`: a win they record after the copy below lands in
 * `participations` only. Hence, as long as the old key exists, the new deciders read earlier
 * winners from `campaign_winners` AND from `participations` (see services/db/winner-schema.ts),
 * and old code, which reads `winner_user_id`, still sees every win of the new code (which writes
 * both). Contract (0009) drops the old key only in a later release, see services/db/migrator.ts.
 */
export async function up(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  // PRIMARY KEY (campaign_id, user_id): the promise itself (a user wins a campaign at most once,
  // whichever decider, sync or Kafka, decided it: a second win's INSERT is refused), and the
  // deciders' look-up of earlier winners (`campaign_id IN (…) AND user_id IN (…)`, under the
  // campaign rows' lock) and the sold-out answers' list of a campaign's winners (`campaign_id = ?`).
  // At most total_stock rows per campaign. No foreign key: rows are inserted only by a decider
  // holding the campaign row locked, which it read (an unknown campaign is never decided).
  await q(`
    CREATE TABLE campaign_winners (
      campaign_id BIGINT UNSIGNED NOT NULL,
      user_id BIGINT UNSIGNED NOT NULL,
      request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      PRIMARY KEY (campaign_id, user_id)
    ) ENGINE=InnoDB`);
  await copyWinners(qi);
  // Both are safe while the previous release still runs:
  // - idx_participation_campaign_offset (campaign_id, log_partition, log_offset): no query reads
  //   it (the consumer's position lives in consumer_offsets; lookups go by request_id or by
  //   campaign and user).
  // - fk_participation_campaign: every row is inserted by a decider that locked the campaign row
  //   it read first (the consumer sets an unknown campaign's entry aside as a dead letter, the sync
  //   path answers 404 before, and "campaign vanished" under its lock); no code relies on the
  //   key's refusal for an answer, and campaigns are never deleted.
  await q('ALTER TABLE participations DROP FOREIGN KEY fk_participation_campaign, DROP KEY idx_participation_campaign_offset');
}

export async function down(qi: QueryInterface): Promise<void> {
  const q = (sql: string) => qi.sequelize.query(sql);
  // Adding a checked foreign key copies the table: slow on a large history, but it verifies.
  await q(`
    ALTER TABLE participations
      ADD KEY idx_participation_campaign_offset (campaign_id, log_partition, log_offset),
      ADD CONSTRAINT fk_participation_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns (id)`);
  await q('DROP TABLE IF EXISTS campaign_winners');
}

/**
 * Copies into campaign_winners every win `participations` holds under its old key, one campaign
 * at a time along uq_participation_winner (the wins only, not the whole history). READ COMMITTED:
 * the source rows are read without locks, so deciders running meanwhile are not held up; a win
 * committed after a campaign's copy is what the deciders' two-table look-up and 0009's copy are for.
 * IGNORE: a win already copied (or written there by new code) stays as it is.
 */
export async function copyWinners(qi: QueryInterface): Promise<void> {
  const campaigns = await qi.sequelize.query<{ campaign_id: number | string }>('SELECT DISTINCT campaign_id FROM participations', { type: QueryTypes.SELECT });
  for (const { campaign_id } of campaigns) {
    await qi.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, (transaction) =>
      qi.sequelize.query(
        `INSERT IGNORE INTO campaign_winners (campaign_id, user_id, request_id)
         SELECT campaign_id, winner_user_id, request_id FROM participations
         WHERE campaign_id = ? AND winner_user_id IS NOT NULL`,
        { replacements: [campaign_id], transaction },
      ),
    );
  }
}
