import { QueryTypes, type Sequelize } from 'sequelize';
import { replayLog, type LogEntry } from './history-check.js';
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

/** The verdicts the first-come-first-served model (history-check.ts) gives these rows, replayed in their order as one campaign's log. */
export function replayVerdicts(rowsInLogOrder: readonly DecisionRow[], stock: number): string[] {
  const log = rowsInLogOrder.map((r, offset): LogEntry => ({ offset, kind: 'participation', requestId: r.request_id, campaignId: 1, userId: r.user_id }));
  const { decisions } = replayLog(log, new Map([[1, stock]]));
  return log.map((e) => decisions.get(e.offset)?.status ?? 'not decided');
}
