import { QueryTypes, type Sequelize } from 'sequelize';
import { waitFor } from './process.js';

export interface DecisionRow {
  request_id: string;
  user_id: number;
  status: 'SUCCESS' | 'SOLD_OUT' | 'DUPLICATE';
  log_partition: number | null;
  log_offset: number;
}

export async function decisionsOf(sequelize: Sequelize, campaignId: number): Promise<DecisionRow[]> {
  const rows = await sequelize.query<DecisionRow>(
    'SELECT request_id, user_id, status, log_partition, log_offset FROM participations WHERE campaign_id = ? ORDER BY log_partition, log_offset',
    { replacements: [campaignId], type: QueryTypes.SELECT },
  );
  return rows;
}

export async function waitForDecisions(sequelize: Sequelize, campaignId: number, expected: number, timeoutMs = 120_000): Promise<void> {
  await waitFor(
    `${expected} decisions for campaign ${campaignId}`,
    async () => {
      const [row] = await sequelize.query<{ n: number }>('SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ?', {
        replacements: [campaignId],
        type: QueryTypes.SELECT,
      });
      return Number(row?.n) >= expected;
    },
    timeoutMs,
  );
}

/**
 * An independent first-come-first-served model, deliberately not the production code: walk the
 * log in order; a user who won before is a DUPLICATE, otherwise the request wins while stock lasts.
 */
export function replayVerdicts(rowsInLogOrder: readonly DecisionRow[], stock: number): string[] {
  const winners = new Set<number>();
  let left = stock;
  return rowsInLogOrder.map((r) => {
    if (winners.has(r.user_id)) return 'DUPLICATE';
    if (left === 0) return 'SOLD_OUT';
    left -= 1;
    winners.add(r.user_id);
    return 'SUCCESS';
  });
}
