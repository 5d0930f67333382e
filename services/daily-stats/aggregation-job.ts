import { dayReadiness } from '../core/day-decided.js';
import { AGGREGATION_JOB, type AggregationRunStore, type ExecutionStatus } from '../db/aggregation-run-store.js';
import type { StatsStore } from '../db/stats-store.js';
import type { Logger } from '../platform/logger.js';
import { checkPastDate, dayWindow, type IsoDate } from '../platform/day-window.js';

export interface AggregationOptions {
  timeZone: string;
  retentionDays: number;
  /** A run whose heartbeat is older than this is considered dead and may be taken over. */
  staleAfterMs: number;
  /** How far the log's order may lag the API's acceptance stamps (clock skew, produce time): see core/day-decided.ts. */
  decidedMarginMs: number;
}

export interface AggregationDeps {
  stats: StatsStore;
  executions: AggregationRunStore;
  logger: Logger;
  clock?: () => Date;
  /** Runs before each campaign's step; a throw fails that step only. For fault-injection tests. */
  beforeCampaign?: (campaignId: number) => Promise<void>;
}

export interface AggregationOutcome {
  executionId: number;
  status: Exclude<ExecutionStatus, 'STARTED'>;
  campaigns: number;
  failed: number;
  rows: number;
  seconds: number;
}

/**
 * The 02:00 job: every campaign's day aggregated in its own transaction, so one campaign failing
 * leaves the others committed (PARTIAL), and the execution records each campaign's outcome.
 * A day that has ended is aggregated only once the decider has passed every entry accepted before
 * its end (plus the margin); until then the run ends PARTIAL with the reason and writes nothing,
 * and a later run does the day. Today, not over yet, is aggregated as far as it is decided, as a
 * preview the run after the day rewrites.
 */
export class AggregationJob {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: AggregationDeps,
    private readonly options: AggregationOptions,
  ) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * Claims the day (today, partial, or earlier) and returns at once with the execution id and the run in progress; throws
   * AlreadyRunningError when another run of the same day holds it.
   */
  async start(date: string): Promise<{ executionId: number; done: Promise<AggregationOutcome> }> {
    const day = checkPastDate(date, this.options.timeZone, this.clock());
    const executionId = await this.deps.executions.start(AGGREGATION_JOB, day, { date: day, timeZone: this.options.timeZone }, this.options.staleAfterMs, this.clock());
    return { executionId, done: this.run(executionId, day) };
  }

  /** Runs an execution claimed by another process (the API, which started this one as a Kubernetes Job). */
  runClaimed(executionId: number, date: string): Promise<AggregationOutcome> {
    return this.run(executionId, checkPastDate(date, this.options.timeZone, this.clock()));
  }

  private async run(executionId: number, date: IsoDate): Promise<AggregationOutcome> {
    const { stats, executions, logger } = this.deps;
    const started = performance.now();
    const window = dayWindow(date, this.options.timeZone);
    let failed = 0;
    let rows = 0;
    let campaigns: number[] = [];
    try {
      if (window.end.getTime() <= this.clock().getTime()) {
        const readiness = dayReadiness(window.end, this.options.decidedMarginMs, await executions.deciderPositions());
        if (!readiness.ready) {
          await executions.finish(executionId, 'PARTIAL', readiness.reason, this.clock());
          logger.warn({ executionId, date, reason: readiness.reason }, 'day not aggregated: not fully decided yet');
          return { executionId, status: 'PARTIAL', campaigns: 0, failed: 0, rows: 0, seconds: (performance.now() - started) / 1000 };
        }
      }
      campaigns = await stats.campaignIds();
      let lastBeat = performance.now();
      for (const campaignId of campaigns) {
        const stepStarted = performance.now();
        try {
          await this.deps.beforeCampaign?.(campaignId);
          rows += await stats.aggregateCampaignDay(campaignId, window, this.options.timeZone, executionId, this.clock(), (read, transaction) =>
            executions.recordStep(executionId, { campaignId, status: 'COMPLETED', rowsRead: read, durationMs: Math.round(performance.now() - stepStarted), error: null }, transaction),
          );
        } catch (err) {
          failed += 1;
          const message = err instanceof Error ? err.message : String(err);
          logger.error({ err, executionId, campaignId }, 'campaign aggregation failed');
          await executions.recordStep(executionId, { campaignId, status: 'FAILED', rowsRead: 0, durationMs: Math.round(performance.now() - stepStarted), error: message });
        }
        if (performance.now() - lastBeat > 5_000) {
          await executions.heartbeat(executionId, this.clock());
          lastBeat = performance.now();
        }
      }
      const status = failed === 0 ? 'COMPLETED' : failed === campaigns.length ? 'FAILED' : 'PARTIAL';
      await executions.finish(executionId, status, failed > 0 ? `${failed} of ${campaigns.length} campaigns failed` : null, this.clock());
      await this.purgeOld();
      const outcome = { executionId, status, campaigns: campaigns.length, failed, rows, seconds: (performance.now() - started) / 1000 } as const;
      logger.info({ ...outcome, date }, 'aggregation finished');
      return outcome;
    } catch (err) {
      // the job itself broke (e.g. the database went away): the execution must not stay STARTED
      logger.error({ err, executionId }, 'aggregation failed');
      await executions.finish(executionId, 'FAILED', err instanceof Error ? err.message : String(err), this.clock()).catch(() => undefined);
      return { executionId, status: 'FAILED', campaigns: campaigns.length, failed: campaigns.length, rows, seconds: (performance.now() - started) / 1000 };
    }
  }

  private async purgeOld(): Promise<void> {
    const cutoff = new Date(this.clock().getTime() - this.options.retentionDays * 86_400_000);
    try {
      const removed = await this.deps.executions.purgeBefore(cutoff);
      if (removed > 0) this.deps.logger.info({ removed, cutoff }, 'old executions removed');
    } catch (err) {
      this.deps.logger.warn({ err }, 'retention cleanup failed; the next run retries');
    }
  }
}
