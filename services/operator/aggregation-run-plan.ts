import type { Execution, ExecutionStep } from '../db/aggregation-run-store.js';
import type { AggregationRunObject, AggregationRunResult, AggregationRunStatus } from '../platform/k8s/aggregation-run.js';

/** What the controller saw of the Job named after the run. */
export type JobObservation =
  | { readonly kind: 'absent' }
  /** A Job of that name that another owner made: the run must not take it for its own. */
  | { readonly kind: 'foreign' }
  | { readonly kind: 'running'; readonly startedAt?: string }
  | { readonly kind: 'finished'; readonly succeeded: boolean; readonly startedAt?: string; readonly finishedAt?: string; readonly reason: string };

/** The execution as the database has it, with its steps; null when the id names none. */
export type ExecutionObservation = { readonly execution: Pick<Execution, 'status' | 'error' | 'endedAt'>; readonly steps: readonly Pick<ExecutionStep, 'status'>[] } | null;

export type RunPlan =
  /** Finished before: nothing more is ever done for it. */
  | { readonly kind: 'done' }
  /** Made with kubectl: the controller claims the day first. */
  | { readonly kind: 'claim' }
  | { readonly kind: 'createJob'; readonly status: AggregationRunStatus }
  /**
   * Write the status. `failExecution`: the Job ended without the aggregation recording its end,
   * so the execution is closed as FAILED with this reason (else it would hold the day until stale).
   */
  | { readonly kind: 'status'; readonly status: AggregationRunStatus; readonly terminal: boolean; readonly failExecution?: string };

const isTerminal = (s: AggregationRunStatus | undefined) => s?.phase === 'Succeeded' || s?.phase === 'Failed';

export function resultOf(found: NonNullable<ExecutionObservation>, error?: string): AggregationRunResult {
  const { execution, steps } = found;
  const completed = steps.filter((s) => s.status === 'COMPLETED').length;
  const status = execution.status === 'STARTED' ? 'FAILED' : execution.status;
  const why = error ?? execution.error ?? undefined;
  return { status, ...(why === undefined ? {} : { error: why }), campaigns: { total: steps.length, completed, failed: steps.length - completed } };
}

/**
 * The next step for a run, from its object, its Job and its execution: a pure function of what
 * was observed, so that a restarted controller, seeing the same, does the same (never a second
 * Job, never a second claim it would not recognise as its own).
 */
export function planRun(run: AggregationRunObject, job: JobObservation, found: ExecutionObservation, now: Date): RunPlan {
  if (isTerminal(run.status)) return { kind: 'done' };
  const executionId = run.spec.executionId ?? run.status?.executionId;
  if (executionId === undefined) return { kind: 'claim' };
  const jobName = run.metadata.name;
  const base = { executionId, jobName };
  const failed = (message: string): AggregationRunStatus => ({ ...base, phase: 'Failed', message, finishedAt: now.toISOString() });
  if (found === null) return { kind: 'status', terminal: true, status: failed(`execution ${executionId} does not exist`) };
  const ended = found.execution.status !== 'STARTED';
  switch (job.kind) {
    case 'foreign': {
      const message = `a Job named ${jobName} exists and does not belong to this AggregationRun`;
      return { kind: 'status', terminal: true, status: failed(message), ...(ended ? {} : { failExecution: `the Job could not be created: ${message}` }) };
    }
    case 'absent':
      // Taken over as stale, or closed by whoever claimed it: no Job is made for a run that ended.
      if (ended) return finished(base, found, found.execution.endedAt?.toISOString() ?? now.toISOString());
      return { kind: 'createJob', status: { ...base, phase: 'Pending', message: 'creating the Job' } };
    case 'running':
      return { kind: 'status', terminal: false, status: { ...base, phase: 'Running', ...(job.startedAt ? { startedAt: job.startedAt } : {}) } };
    case 'finished': {
      const times = { ...(job.startedAt ? { startedAt: job.startedAt } : {}), finishedAt: job.finishedAt ?? now.toISOString() };
      if (ended) return finished({ ...base, ...times }, found, times.finishedAt);
      if (job.succeeded) {
        // The aggregation records its end before the process exits; a Job complete before that is only a read that came early.
        return { kind: 'status', terminal: false, status: { ...base, phase: 'Running', ...(job.startedAt ? { startedAt: job.startedAt } : {}) } };
      }
      const reason = `the Job failed: ${job.reason}`;
      return { kind: 'status', terminal: true, failExecution: reason, status: { ...base, ...times, phase: 'Failed', message: reason, result: resultOf(found, reason) } };
    }
  }
}

function finished(base: AggregationRunStatus, found: NonNullable<ExecutionObservation>, finishedAt: string): RunPlan {
  const result = resultOf(found);
  const succeeded = result.status === 'COMPLETED';
  return {
    kind: 'status',
    terminal: true,
    status: {
      ...base,
      phase: succeeded ? 'Succeeded' : 'Failed',
      finishedAt,
      ...(succeeded ? {} : { message: `the aggregation ended ${result.status}${result.error === undefined ? '' : `: ${result.error}`}` }),
      result,
    },
  };
}
