import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import type { DeciderPosition } from '../core/day-decided.js';
import { sqlDateTime } from './datetime.js';
import { readDeciderPositions } from './decision-store.js';
import { DomainError } from '../platform/errors.js';
import { violatedUniqueKey } from './errors.js';

/** The daily statistics job's name in the executions table. */
export const AGGREGATION_JOB = 'daily-campaign-stats';

export type ExecutionStatus = 'STARTED' | 'COMPLETED' | 'PARTIAL' | 'FAILED';

export interface ExecutionStep {
  campaignId: number;
  status: 'COMPLETED' | 'FAILED';
  rowsRead: number;
  durationMs: number;
  error: string | null;
}

export interface Execution {
  id: number;
  jobName: string;
  date: string;
  parameters: Record<string, unknown>;
  status: ExecutionStatus;
  startedAt: Date;
  heartbeatAt: Date;
  endedAt: Date | null;
  error: string | null;
}

/** A run of the same job and day is in progress (in this process or another). */
export class AlreadyRunningError extends DomainError {
  override readonly name = 'AlreadyRunningError';
  constructor(
    readonly executionId: number,
    date: string,
  ) {
    super('BATCH_ALREADY_RUNNING', `an aggregation of ${date} is already running`, { data: { executionId } });
  }
}

interface ExecutionRow {
  id: number;
  job_name: string;
  stat_date: string;
  parameters: string | Record<string, unknown>;
  status: ExecutionStatus;
  started_at: Date;
  heartbeat_at: Date;
  ended_at: Date | null;
  error: string | null;
}

const EXECUTION_COLUMNS = "id, job_name, DATE_FORMAT(stat_date, '%Y-%m-%d') AS stat_date, parameters, status, started_at, heartbeat_at, ended_at, error";

const toExecution = (r: ExecutionRow): Execution => ({
  id: r.id,
  jobName: r.job_name,
  date: r.stat_date,
  // MariaDB's JSON is LONGTEXT, so the driver hands back a string
  parameters: typeof r.parameters === 'string' ? (JSON.parse(r.parameters) as Record<string, unknown>) : r.parameters,
  status: r.status,
  startedAt: r.started_at,
  heartbeatAt: r.heartbeat_at,
  endedAt: r.ended_at,
  error: r.error,
});

/**
 * The job repository: what ran, with which parameters, how it ended, per campaign. The tables keep
 * their first names (`batch_executions`, `batch_execution_steps`): renaming a table is a migration
 * with a lock for no change in meaning.
 */
export class AggregationRunStore {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Claims the (job, day) and records a STARTED execution. A holder whose heartbeat is older than
   * `staleAfterMs` died without finishing: it is marked FAILED and the claim taken over.
   */
  async start(jobName: string, date: string, parameters: Record<string, unknown>, staleAfterMs: number, now: Date): Promise<number> {
    const key = `${jobName}:${date}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const [id] = await this.sequelize.query(
          `INSERT INTO batch_executions (job_name, stat_date, parameters, status, running_key, started_at, heartbeat_at)
           VALUES (?, ?, ?, 'STARTED', ?, ?, ?)`,
          { replacements: [jobName, date, JSON.stringify(parameters), key, sqlDateTime(now), sqlDateTime(now)], type: QueryTypes.INSERT },
        );
        return id;
      } catch (err) {
        if (violatedUniqueKey(err) !== 'uq_batch_running') throw err;
        const [holder] = await this.sequelize.query<{ id: number; heartbeat_at: Date }>('SELECT id, heartbeat_at FROM batch_executions WHERE running_key = ?', {
          replacements: [key],
          type: QueryTypes.SELECT,
        });
        if (!holder) continue; // it finished meanwhile
        if (now.getTime() - holder.heartbeat_at.getTime() < staleAfterMs) throw new AlreadyRunningError(holder.id, date);
        await this.sequelize.query(
          "UPDATE batch_executions SET status = 'FAILED', running_key = NULL, ended_at = ?, error = ? WHERE id = ? AND running_key = ?",
          { replacements: [sqlDateTime(now), `abandoned: no heartbeat since ${holder.heartbeat_at.toISOString()}`, holder.id, key] },
        );
      }
    }
    throw new Error(`could not claim ${key}`);
  }

  /** How far the decider has come, which decides whether a day can be aggregated yet. */
  deciderPositions(): Promise<DeciderPosition[]> {
    return readDeciderPositions(this.sequelize);
  }

  async heartbeat(id: number, now: Date): Promise<void> {
    await this.sequelize.query('UPDATE batch_executions SET heartbeat_at = ? WHERE id = ?', { replacements: [sqlDateTime(now), id] });
  }

  async recordStep(id: number, step: ExecutionStep, transaction?: Transaction): Promise<void> {
    await this.sequelize.query(
      'INSERT INTO batch_execution_steps (execution_id, campaign_id, status, rows_read, duration_ms, error) VALUES (?, ?, ?, ?, ?, ?)',
      { replacements: [id, step.campaignId, step.status, step.rowsRead, step.durationMs, step.error], transaction },
    );
  }

  async finish(id: number, status: Exclude<ExecutionStatus, 'STARTED'>, error: string | null, now: Date): Promise<void> {
    await this.sequelize.query('UPDATE batch_executions SET status = ?, running_key = NULL, ended_at = ?, heartbeat_at = ?, error = ? WHERE id = ?', {
      replacements: [status, sqlDateTime(now), sqlDateTime(now), error, id],
    });
  }

  async find(id: number): Promise<{ execution: Execution; steps: ExecutionStep[] } | null> {
    const [row] = await this.sequelize.query<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM batch_executions WHERE id = ?`, { replacements: [id], type: QueryTypes.SELECT });
    if (!row) return null;
    const steps = await this.sequelize.query<{ campaign_id: number; status: 'COMPLETED' | 'FAILED'; rows_read: number; duration_ms: number; error: string | null }>(
      'SELECT campaign_id, status, rows_read, duration_ms, error FROM batch_execution_steps WHERE execution_id = ? ORDER BY campaign_id',
      { replacements: [id], type: QueryTypes.SELECT },
    );
    return {
      execution: toExecution(row),
      steps: steps.map((s) => ({ campaignId: s.campaign_id, status: s.status, rowsRead: s.rows_read, durationMs: s.duration_ms, error: s.error })),
    };
  }

  async history(limit: number): Promise<Execution[]> {
    const rows = await this.sequelize.query<ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM batch_executions ORDER BY id DESC LIMIT ?`, {
      replacements: [limit],
      type: QueryTypes.SELECT,
    });
    return rows.map(toExecution);
  }

  /** The status of the latest run of each day from `from` to `to` (inclusive) that was run at all. */
  async latestStatuses(jobName: string, from: string, to: string): Promise<Map<string, ExecutionStatus>> {
    const rows = await this.sequelize.query<{ stat_date: string; status: ExecutionStatus }>(
      `SELECT DATE_FORMAT(e.stat_date, '%Y-%m-%d') AS stat_date, e.status FROM batch_executions e
       JOIN (SELECT stat_date, MAX(id) AS id FROM batch_executions WHERE job_name = ? AND stat_date BETWEEN ? AND ? GROUP BY stat_date) latest ON latest.id = e.id`,
      { replacements: [jobName, from, to], type: QueryTypes.SELECT },
    );
    return new Map(rows.map((r) => [r.stat_date, r.status]));
  }

  /** Retention: finished executions started before `cutoff` go, with their steps. */
  async purgeBefore(cutoff: Date): Promise<number> {
    return this.sequelize.query('DELETE FROM batch_executions WHERE started_at < ? AND running_key IS NULL', {
      replacements: [sqlDateTime(cutoff)],
      type: QueryTypes.BULKDELETE,
    });
  }
}
