import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AggregationRunObject, AggregationRunStatus } from '../platform/k8s/aggregation-run.js';
import { planRun, resultOf, type ExecutionObservation, type JobObservation } from './aggregation-run-plan.js';

const now = new Date('2026-11-21T12:00:00Z');
const run = (spec: AggregationRunObject['spec'], status?: AggregationRunStatus): AggregationRunObject => ({ metadata: { name: 'agg-m1', uid: 'u-1' }, spec, ...(status ? { status } : {}) });
const execution = (status: 'STARTED' | 'COMPLETED' | 'PARTIAL' | 'FAILED', steps: ('COMPLETED' | 'FAILED')[] = [], error: string | null = null): ExecutionObservation => ({
  execution: { status, error, endedAt: status === 'STARTED' ? null : new Date('2026-11-21T11:59:00Z') },
  steps: steps.map((s) => ({ status: s })),
});
const absent: JobObservation = { kind: 'absent' };
const running: JobObservation = { kind: 'running', startedAt: '2026-11-21T11:58:00Z' };
const complete: JobObservation = { kind: 'finished', succeeded: true, startedAt: '2026-11-21T11:58:00Z', finishedAt: '2026-11-21T11:59:30Z', reason: 'Complete' };
const broken: JobObservation = { kind: 'finished', succeeded: false, startedAt: '2026-11-21T11:58:00Z', finishedAt: '2026-11-21T11:59:30Z', reason: 'BackoffLimitExceeded: Job has reached the specified backoff limit' };

describe('planRun', () => {
  it('claims the day for a run made with kubectl, and not for one the API claimed', () => {
    assert.deepEqual(planRun(run({ date: '2026-11-20' }), absent, null, now), { kind: 'claim' });
    assert.equal(planRun(run({ date: '2026-11-20', executionId: 4 }), absent, execution('STARTED'), now).kind, 'createJob');
  });

  it('takes the execution from status once the controller claimed it', () => {
    const plan = planRun(run({ date: '2026-11-20' }, { phase: 'Pending', executionId: 9 }), absent, execution('STARTED'), now);
    assert.deepEqual(plan, { kind: 'createJob', status: { executionId: 9, jobName: 'agg-m1', phase: 'Pending', message: 'creating the Job' } });
  });

  it('does nothing more for a finished run, whatever it sees', () => {
    for (const phase of ['Succeeded', 'Failed'] as const) assert.deepEqual(planRun(run({ date: '2026-11-20' }, { phase }), { kind: 'foreign' }, null, now), { kind: 'done' });
  });

  it('is Running with the start time while the Job runs', () => {
    assert.deepEqual(planRun(run({ date: '2026-11-20', executionId: 4 }), running, execution('STARTED'), now), {
      kind: 'status',
      terminal: false,
      status: { executionId: 4, jobName: 'agg-m1', phase: 'Running', startedAt: '2026-11-21T11:58:00Z' },
    });
  });

  it('succeeds with the recorded result once the Job completed and the execution ended COMPLETED', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 4 }), complete, execution('COMPLETED', ['COMPLETED', 'COMPLETED']), now);
    assert.deepEqual(plan, {
      kind: 'status',
      terminal: true,
      status: {
        executionId: 4,
        jobName: 'agg-m1',
        startedAt: '2026-11-21T11:58:00Z',
        finishedAt: '2026-11-21T11:59:30Z',
        phase: 'Succeeded',
        result: { status: 'COMPLETED', campaigns: { total: 2, completed: 2, failed: 0 } },
      },
    });
  });

  it('fails a PARTIAL run, naming the error', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 4 }), complete, execution('PARTIAL', ['COMPLETED', 'FAILED'], 'campaign 3: deadlock'), now);
    assert.equal(plan.kind, 'status');
    assert.equal(plan.status.phase, 'Failed');
    assert.equal(plan.status.message, 'the aggregation ended PARTIAL: campaign 3: deadlock');
    assert.deepEqual(plan.status.result, { status: 'PARTIAL', error: 'campaign 3: deadlock', campaigns: { total: 2, completed: 1, failed: 1 } });
  });

  it('waits while a complete Job has not recorded its end yet (the read came early)', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 4 }), complete, execution('STARTED'), now);
    assert.equal(plan.kind === 'status' && !plan.terminal && plan.status.phase, 'Running');
  });

  it('closes the execution as FAILED when the Job failed without recording an end, so that the day is free again', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 4 }), broken, execution('STARTED', ['COMPLETED']), now);
    assert.equal(plan.kind, 'status');
    assert.equal(plan.terminal, true);
    assert.equal(plan.failExecution, 'the Job failed: BackoffLimitExceeded: Job has reached the specified backoff limit');
    assert.equal(plan.status.phase, 'Failed');
    assert.deepEqual(plan.status.result, { status: 'FAILED', error: plan.failExecution, campaigns: { total: 1, completed: 1, failed: 0 } });
  });

  it('makes no Job for an execution that ended before one was made (taken over as stale)', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 4 }), absent, execution('FAILED', [], 'abandoned: no heartbeat'), now);
    assert.equal(plan.kind === 'status' && plan.terminal && plan.status.phase, 'Failed');
  });

  it('refuses a Job of its name that belongs to something else, and frees the day it holds', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 4 }), { kind: 'foreign' }, execution('STARTED'), now);
    assert.equal(plan.kind === 'status' && plan.status.phase, 'Failed');
    assert.match(plan.kind === 'status' ? plan.failExecution ?? '' : '', /does not belong to this AggregationRun/);
    const ended = planRun(run({ date: '2026-11-20', executionId: 4 }), { kind: 'foreign' }, execution('COMPLETED'), now);
    assert.equal(ended.kind === 'status' && ended.failExecution, undefined, 'an execution that ended is left as it is');
  });

  it('fails a run whose execution does not exist', () => {
    const plan = planRun(run({ date: '2026-11-20', executionId: 404 }), absent, null, now);
    assert.deepEqual(plan, { kind: 'status', terminal: true, status: { executionId: 404, jobName: 'agg-m1', phase: 'Failed', message: 'execution 404 does not exist', finishedAt: now.toISOString() } });
  });
});

describe('resultOf', () => {
  it('counts the steps and takes the execution error', () => {
    const found = execution('FAILED', ['FAILED', 'FAILED'], 'all failed');
    assert.ok(found);
    assert.deepEqual(resultOf(found), { status: 'FAILED', error: 'all failed', campaigns: { total: 2, completed: 0, failed: 2 } });
  });
});
