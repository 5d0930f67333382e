import type { HeavyQueries } from './heavy-query.js';
import { QueryTypes, Transaction, type Sequelize } from 'sequelize';
import { sqlDateTime } from './datetime.js';

export interface DayStats {
  campaignId: number;
  campaignName: string;
  date: string;
  totalParticipations: number;
  successCount: number;
  soldOutCount: number;
  duplicateCount: number;
  uniqueUsers: number;
  firstAcceptedAt: Date | null;
  lastAcceptedAt: Date | null;
}

export interface Window {
  readonly date: string;
  readonly start: Date;
  readonly end: Date;
}

interface StatsRow {
  campaign_id: number;
  campaign_name: string;
  stat_date: string;
  total: number | string;
  success: number | string;
  sold_out: number | string;
  duplicate: number | string;
  unique_users: number | string;
  first_at: Date | null;
  last_at: Date | null;
}

// SUM() and COUNT(DISTINCT) may come back as DECIMAL strings depending on the expression
const toStats = (r: StatsRow): DayStats => ({
  campaignId: r.campaign_id,
  campaignName: r.campaign_name,
  date: r.stat_date,
  totalParticipations: Number(r.total),
  successCount: Number(r.success),
  soldOutCount: Number(r.sold_out),
  duplicateCount: Number(r.duplicate),
  uniqueUsers: Number(r.unique_users),
  firstAcceptedAt: r.first_at,
  lastAcceptedAt: r.last_at,
});

/**
 * The one definition of a day's numbers: the aggregation stores exactly what the raw query
 * computes, so the two can only agree. Order matches STORED_COLUMNS.
 */
const AGGREGATES = `COUNT(*) AS total, SUM(p.status = 'SUCCESS') AS success, SUM(p.status = 'SOLD_OUT') AS sold_out,
  SUM(p.status = 'DUPLICATE') AS duplicate, COUNT(DISTINCT p.user_id) AS unique_users,
  MIN(p.accepted_at) AS first_at, MAX(p.accepted_at) AS last_at`;
const STORED_COLUMNS = 'total_participations, success_count, sold_out_count, duplicate_count, unique_users, first_accepted_at, last_accepted_at';
/** Re-running a day overwrites everything but the key. */
const OVERWRITE = ['time_zone', ...STORED_COLUMNS.split(', '), 'execution_id', 'aggregated_at'].map((c) => `${c} = VALUES(${c})`).join(', ');
const READ_STORED = `SELECT s.campaign_id, c.name AS campaign_name, DATE_FORMAT(s.stat_date, '%Y-%m-%d') AS stat_date,
  s.total_participations AS total, s.success_count AS success, s.sold_out_count AS sold_out, s.duplicate_count AS duplicate,
  s.unique_users, s.first_accepted_at AS first_at, s.last_accepted_at AS last_at
  FROM campaign_stats s JOIN campaigns c ON c.id = s.campaign_id`;

export class StatsStore {
  /** With `heavy`, the raw query runs under its time limit and can be cancelled. */
  constructor(
    private readonly sequelize: Sequelize,
    private readonly heavy?: HeavyQueries,
  ) {}

  async campaignIds(): Promise<number[]> {
    const rows = await this.sequelize.query<{ id: number }>('SELECT id FROM campaigns ORDER BY id', { type: QueryTypes.SELECT });
    return rows.map((r) => r.id);
  }

  /**
   * One campaign's day, set-based, in its own transaction: re-running a day rewrites the same
   * row. `alsoCommit` runs in the same transaction (the job records its step there, so a step
   * marked COMPLETED always has its row). Returns the day's history rows (0: nothing written).
   */
  async aggregateCampaignDay(
    campaignId: number,
    day: Window,
    timeZone: string,
    executionId: number,
    at: Date,
    alsoCommit: (rows: number, transaction: Transaction) => Promise<void>,
  ): Promise<number> {
    // READ COMMITTED: at REPEATABLE READ, InnoDB reads the SELECT side of an INSERT … SELECT with
    // shared next-key locks on every index entry of the day and the gap after it, held until
    // COMMIT, so the consumer's insert of a history row into that range (a late entry of the day,
    // or any new entry of a campaign whose day was its last) waits for the aggregation, and a long
    // day stops decisions. At READ COMMITTED the SELECT is a consistent non-locking read, and one
    // statement sees one snapshot, so the day's numbers are still read consistently.
    return this.sequelize.transaction({ isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }, async (transaction) => {
      await this.sequelize.query(
        `INSERT INTO campaign_stats (campaign_id, stat_date, time_zone, ${STORED_COLUMNS}, execution_id, aggregated_at)
         SELECT p.campaign_id, :date, :zone, ${AGGREGATES}, :execution, :at
         FROM participations p
         WHERE p.campaign_id = :campaign AND p.accepted_at >= :start AND p.accepted_at < :end
         GROUP BY p.campaign_id
         ON DUPLICATE KEY UPDATE ${OVERWRITE}`,
        {
          replacements: { date: day.date, zone: timeZone, execution: executionId, at: sqlDateTime(at), campaign: campaignId, start: sqlDateTime(day.start), end: sqlDateTime(day.end) },
          transaction,
        },
      );
      const [row] = await this.sequelize.query<{ total: number }>('SELECT total_participations AS total FROM campaign_stats WHERE campaign_id = ? AND stat_date = ?', {
        replacements: [campaignId, day.date],
        type: QueryTypes.SELECT,
        transaction,
      });
      const rows = row?.total ?? 0;
      await alsoCommit(rows, transaction);
      return rows;
    });
  }

  /** The pre-aggregated rows of one day: a primary-key range read. */
  async daily(date: string): Promise<DayStats[]> {
    return this.readStored('WHERE s.stat_date = ? ORDER BY s.campaign_id', [date]);
  }

  /** The same numbers computed from the history on every call, as the original system did. */
  async raw(day: Window, signal?: AbortSignal): Promise<DayStats[]> {
    const sql = `SELECT p.campaign_id, c.name AS campaign_name, ? AS stat_date, ${AGGREGATES}
       FROM participations p JOIN campaigns c ON c.id = p.campaign_id
       WHERE p.accepted_at >= ? AND p.accepted_at < ?
       GROUP BY p.campaign_id, c.name ORDER BY p.campaign_id`;
    const values = [day.date, sqlDateTime(day.start), sqlDateTime(day.end)];
    const rows = this.heavy
      ? await this.heavy.rows<StatsRow>(sql, values, signal)
      : await this.sequelize.query<StatsRow>(sql, { replacements: values, type: QueryTypes.SELECT });
    return rows.map(toStats);
  }

  async series(campaignId: number, startDate: string, endDate: string): Promise<DayStats[]> {
    return this.readStored('WHERE s.campaign_id = ? AND s.stat_date BETWEEN ? AND ? ORDER BY s.stat_date', [campaignId, startDate, endDate]);
  }

  private async readStored(where: string, replacements: unknown[]): Promise<DayStats[]> {
    const rows = await this.sequelize.query<StatsRow>(`${READ_STORED} ${where}`, { replacements, type: QueryTypes.SELECT });
    return rows.map(toStats);
  }
}
