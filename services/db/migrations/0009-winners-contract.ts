import { QueryTypes, Transaction, type QueryInterface } from 'sequelize';
import { copyWinners } from './0008-winners-expand.js';

/**
 * Contract: `campaign_winners` alone keeps the one-win-per-user promise; the old winner key
 * (`uq_participation_winner` on the stored column `winner_user_id`, which took an index entry for
 * every loser too) leaves `participations`.
 *
 * THE RULE: this migration must never run while code older than 0008 may still write. The
 * migrator (services/db/migrator.ts, `migrateUp`) applies it only
 * - on a database where 0008 was applied by an earlier migrator run of a different package
 *   version (the release that brought 0008 has since been rolled out, so every writer running
 *   now writes campaign_winners), or
 * - on an empty database, where 0008 and 0009 run together (no older writer can exist).
 * Otherwise it stays pending, and the schema stays in the expand state, which both the old and
 * the new code decide correctly in.
 */
export async function up(qi: QueryInterface): Promise<void> {
  // Wins written by the previous release during its rollout reached participations only.
  await copyWinners(qi);
  await qi.sequelize.query('ALTER TABLE participations DROP KEY uq_participation_winner, DROP COLUMN winner_user_id');
  // From here no pre-0008 code can record a win (its winner look-ups name the dropped column).
  // Should one have slipped in between the copy and the ALTER (the rule broken by hand), the
  // counters tell: a campaign whose winners do not add up to its success_count is copied again
  // from the history's statuses.
  const short = await qi.sequelize.query<{ id: number | string }>(
    `SELECT c.id FROM campaigns c
     WHERE c.success_count <> (SELECT COUNT(*) FROM campaign_winners w WHERE w.campaign_id = c.id)`,
    { type: QueryTypes.SELECT },
  );
  for (const { id } of short) {
    await qi.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, (transaction) =>
      qi.sequelize.query(
        `INSERT IGNORE INTO campaign_winners (campaign_id, user_id, request_id)
         SELECT campaign_id, user_id, request_id FROM participations WHERE campaign_id = ? AND status = 'SUCCESS'`,
        { replacements: [id], transaction },
      ),
    );
  }
}

/** Back to the expand state: fails only if a user won a campaign twice, which campaign_winners refused. */
export async function down(qi: QueryInterface): Promise<void> {
  // winner_user_id is NULL unless the row is a win, so the unique key lets a user lose any
  // number of times but win at most once per campaign (the promise before campaign_winners).
  await qi.sequelize.query(`
    ALTER TABLE participations
      ADD COLUMN winner_user_id BIGINT UNSIGNED AS (IF(status = 'SUCCESS', user_id, NULL)) STORED AFTER decided_at,
      ADD UNIQUE KEY uq_participation_winner (campaign_id, winner_user_id)`);
}
