import { QueryTypes, type Sequelize } from 'sequelize';

/**
 * Decision order is the history's insertion order (the consumer inserts each batch in log order);
 * arrival order is accepted_at. A decision is a violation when something that arrived later was
 * decided before it; its delay is how much later that arrival was.
 */
export interface OrderViolation {
  requestId: string;
  userId: number;
  status: string;
  partition: number | null;
  offset: number | null;
  acceptedAt: Date;
  /** The latest arrival among the requests decided before this one. */
  overtakenBy: Date;
  delayMs: number;
}

export interface OrderAnalysis {
  totalDecisions: number;
  violations: number;
  maxDelayMs: number;
  avgDelayMs: number;
  partitions: { partition: number | null; decisions: number }[];
}

const WITH_RUNNING_MAX = `
  SELECT request_id, user_id, status, log_partition, log_offset, accepted_at,
    MAX(accepted_at) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS overtaken_by
  FROM participations WHERE campaign_id = ?`;

export class OrderStore {
  constructor(private readonly sequelize: Sequelize) {}

  async violations(campaignId: number, limit: number): Promise<OrderViolation[]> {
    const rows = await this.sequelize.query<{
      request_id: string;
      user_id: number;
      status: string;
      log_partition: number | null;
      log_offset: number | null;
      accepted_at: Date;
      overtaken_by: Date;
    }>(`SELECT * FROM (${WITH_RUNNING_MAX}) t WHERE overtaken_by > accepted_at ORDER BY TIMESTAMPDIFF(MICROSECOND, accepted_at, overtaken_by) DESC LIMIT ?`, {
      replacements: [campaignId, limit],
      type: QueryTypes.SELECT,
    });
    return rows.map((r) => ({
      requestId: r.request_id,
      userId: r.user_id,
      status: r.status,
      partition: r.log_partition,
      offset: r.log_offset,
      acceptedAt: r.accepted_at,
      overtakenBy: r.overtaken_by,
      delayMs: r.overtaken_by.getTime() - r.accepted_at.getTime(),
    }));
  }

  async analysis(campaignId: number): Promise<OrderAnalysis> {
    const [summary] = await this.sequelize.query<{ total: number; violations: number | string | null; max_delay: number | string | null; avg_delay: number | string | null }>(
      `SELECT COUNT(*) AS total, SUM(overtaken_by > accepted_at) AS violations,
         MAX(IF(overtaken_by > accepted_at, TIMESTAMPDIFF(MICROSECOND, accepted_at, overtaken_by), NULL)) / 1000 AS max_delay,
         AVG(IF(overtaken_by > accepted_at, TIMESTAMPDIFF(MICROSECOND, accepted_at, overtaken_by), NULL)) / 1000 AS avg_delay
       FROM (${WITH_RUNNING_MAX}) t`,
      { replacements: [campaignId], type: QueryTypes.SELECT },
    );
    const partitions = await this.sequelize.query<{ log_partition: number | null; decisions: number }>(
      'SELECT log_partition, COUNT(*) AS decisions FROM participations WHERE campaign_id = ? GROUP BY log_partition ORDER BY log_partition',
      { replacements: [campaignId], type: QueryTypes.SELECT },
    );
    return {
      totalDecisions: summary?.total ?? 0,
      violations: Number(summary?.violations ?? 0),
      maxDelayMs: Number(summary?.max_delay ?? 0),
      avgDelayMs: Math.round(Number(summary?.avg_delay ?? 0) * 10) / 10,
      partitions: partitions.map((p) => ({ partition: p.log_partition, decisions: p.decisions })),
    };
  }
}
