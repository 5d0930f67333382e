/**
 * Where earlier winners are found, by the state of the schema (migrations 0008 and 0009):
 *
 * - `expand` (0008 applied, 0009 not): `participations` still has its old winner key, and code of
 *   the previous release, which knows nothing of `campaign_winners`, may still be recording wins
 *   in `participations` alone. Earlier winners are read from both tables: never a win missed.
 * - `contract` (0009 applied): `campaign_winners` holds every win; it alone is read.
 *
 * Read once by each store (the first time it is needed) and kept. A process that found `expand`
 * keeps reading both tables after 0009 applies under it (the next release's pre-upgrade hook runs
 * while this one's pods run): the look-up of `participations` goes by status along
 * (campaign_id, user_id), not by the dropped column, so it keeps working, only slower. A process
 * that found `contract` has nothing older to look for.
 */
export type WinnerSchema = 'expand' | 'contract';

export const WINNER_SCHEMA_SQL = `SELECT
  (SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'campaign_winners') AS winners_table,
  (SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'participations' AND column_name = 'winner_user_id') AS old_key`;

export function winnerSchemaOf(row: { winners_table: number | string; old_key: number | string } | undefined): WinnerSchema {
  if (row === undefined || Number(row.winners_table) === 0) {
    throw new Error('the database has no campaign_winners table: its schema is older than this code (migration 0008); run the migrations');
  }
  return Number(row.old_key) > 0 ? 'expand' : 'contract';
}

// The history's wins are looked for along (campaign_id, user_id), an index of both states: the
// (campaign_id, accepted_at, ...) one would read a campaign's whole history.

/** Earlier winners among `campaign_id IN (?) AND user_id IN (?)`: one (campaign ids, user ids) pair of lists per copy. */
export const FIND_WINNERS: Record<WinnerSchema, { sql: string; copies: number }> = {
  contract: { sql: 'SELECT campaign_id, user_id FROM campaign_winners WHERE campaign_id IN (?) AND user_id IN (?)', copies: 1 },
  expand: {
    sql: `SELECT campaign_id, user_id FROM campaign_winners WHERE campaign_id IN (?) AND user_id IN (?)
          UNION ALL
          SELECT campaign_id, user_id FROM participations FORCE INDEX (idx_participation_campaign_user)
          WHERE campaign_id IN (?) AND user_id IN (?) AND status = 'SUCCESS'`,
    copies: 2,
  },
};

/** Whether one user won one campaign: (campaign id, user id) per copy. */
export const HAS_WON: Record<WinnerSchema, { sql: string; copies: number }> = {
  contract: { sql: 'SELECT 1 AS won FROM campaign_winners WHERE campaign_id = ? AND user_id = ?', copies: 1 },
  expand: {
    sql: `SELECT 1 AS won FROM campaign_winners WHERE campaign_id = ? AND user_id = ?
          UNION ALL
          SELECT 1 FROM participations FORCE INDEX (idx_participation_campaign_user)
          WHERE campaign_id = ? AND user_id = ? AND status = 'SUCCESS' LIMIT 1`,
    copies: 2,
  },
};

/** A campaign's winners with the request that won: the campaign id per copy. */
export const WINNERS_OF: Record<WinnerSchema, { sql: string; copies: number }> = {
  contract: { sql: 'SELECT user_id, request_id FROM campaign_winners WHERE campaign_id = ?', copies: 1 },
  expand: {
    sql: `SELECT user_id, request_id FROM campaign_winners WHERE campaign_id = ?
          UNION
          SELECT user_id, request_id FROM participations WHERE campaign_id = ? AND status = 'SUCCESS'`,
    copies: 2,
  },
};

/** A look-up's replacements: `values` once for each copy of its statement. */
export function replacementsOf(lookup: { copies: number }, values: readonly unknown[]): unknown[] {
  return Array.from({ length: lookup.copies }, () => values).flat();
}

/** The row each decider writes with a win, in the win's transaction. */
export const INSERT_WINNERS = 'INSERT INTO campaign_winners (campaign_id, user_id, request_id)';
