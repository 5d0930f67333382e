import { QueryTypes, type Sequelize } from 'sequelize';

export interface OpenCampaign {
  id: number;
  remainingStock: number;
  winners: number;
}

export interface AggregationSummary {
  /** End of the newest COMPLETED run, if any. */
  lastSuccessAt: Date | null;
  /** The newest finished run. */
  last: { status: 'COMPLETED' | 'PARTIAL' | 'FAILED'; durationSeconds: number; endedAt: Date } | null;
  running: number;
}

/** Reads for monitoring: small, indexed, bounded. */
export class ObservedStateStore {
  constructor(private readonly sequelize: Sequelize) {}

  /** Campaigns that can still be won and are within their window (or have none), newest first. */
  async openCampaigns(limit: number, now: Date): Promise<OpenCampaign[]> {
    const rows = await this.sequelize.query<{ id: number; current_stock: number; success_count: number | string }>(
      `SELECT id, current_stock, success_count FROM campaigns
       WHERE current_stock > 0 AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?)
       ORDER BY id DESC LIMIT ?`,
      { replacements: [now, now, limit], type: QueryTypes.SELECT },
    );
    return rows.map((r) => ({ id: r.id, remainingStock: r.current_stock, winners: Number(r.success_count) }));
  }

  async aggregationSummary(jobName: string): Promise<AggregationSummary> {
    const select = <R extends object>(sql: string) => this.sequelize.query<R>(sql, { replacements: [jobName], type: QueryTypes.SELECT });
    const [success] = await select<{ ended_at: Date }>(
      "SELECT ended_at FROM batch_executions WHERE job_name = ? AND status = 'COMPLETED' ORDER BY ended_at DESC LIMIT 1",
    );
    const [last] = await select<{ status: 'COMPLETED' | 'PARTIAL' | 'FAILED'; started_at: Date; ended_at: Date }>(
      "SELECT status, started_at, ended_at FROM batch_executions WHERE job_name = ? AND status <> 'STARTED' AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT 1",
    );
    const [running] = await select<{ n: number | string }>("SELECT COUNT(*) AS n FROM batch_executions WHERE job_name = ? AND status = 'STARTED'");
    return {
      lastSuccessAt: success?.ended_at ?? null,
      last: last ? { status: last.status, durationSeconds: (last.ended_at.getTime() - last.started_at.getTime()) / 1000, endedAt: last.ended_at } : null,
      running: Number(running?.n ?? 0),
    };
  }
}
