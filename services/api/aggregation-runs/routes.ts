import { Router } from 'express';
import { z } from 'zod';
import type { AggregationJob, AggregationOutcome } from '../../daily-stats/aggregation-job.js';
import { InvalidDateError, yesterdayIn } from '../../platform/day-window.js';
import type { AggregationRunStore, Execution, ExecutionStep } from '../../db/aggregation-run-store.js';
import { sendOk } from '../http/envelope.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { NOT_A_PAST_DATE, badInput, databaseDown, fail, idPathParameter, ok, operation } from '../http/openapi-declare.js';
import { positiveId } from '../http/response-schemas.js';
import { calendarDateShape, idParam } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import type { AggregationLauncher } from './kubernetes-launcher.js';
import { ExecutionDetailJson, ExecutionJson, ExecutionStartedJson } from './responses.js';

export interface AggregationRunDeps {
  job: AggregationJob;
  executions: AggregationRunStore;
  timeZone: string;
  clock: () => Date;
  /** Runs started here, so that shutdown can let them finish. */
  running: Set<Promise<AggregationOutcome>>;
  /** In a cluster: runs go to the operator, as AggregationRun objects, instead of this process. */
  launcher?: AggregationLauncher;
}

const aggregateQuery = z.object({ date: z.string().meta(calendarDateShape).optional() });
const historyQuery = z.object({ size: z.coerce.number().int().min(1).max(200).default(20) });

export const aggregationRunOperations = [
  operation({
    method: 'post',
    path: '/api/admin/batch/aggregate',
    operationId: 'startAggregation',
    tags: ['admin', 'batch'],
    summary: "Aggregate a day's statistics",
    description:
      'Takes no body. Claims the day and answers at once; the run goes on in the background (in a cluster with AGGREGATION_RUNNER=aggregation-run: the API creates an AggregationRun object, named in data.aggregationRun, which the operator runs as a Job of the same name made from the aggregation CronJob, named in data.kubernetesJob), each campaign in its own transaction, and GET /api/admin/batch/status/{executionId} follows it. Running a day again rewrites its rows. One run per day at a time: a run whose heartbeat is older than AGGREGATION_STALE_AFTER_MS is taken to have died, is marked FAILED and is taken over.',
    parameters: [
      {
        id: 'AggregateDate',
        name: 'date',
        in: 'query',
        required: false,
        description: 'The day to aggregate: a calendar date YYYY-MM-DD, today (partial) or earlier in STATS_TIME_ZONE. Default: yesterday there.',
        schema: aggregateQuery.shape.date,
      },
    ],
    replies: [
      ok(202, 'The run has started.', ExecutionStartedJson),
      badInput(`date is ${NOT_A_PAST_DATE}.`),
      fail('A run of this day is already in progress; data.executionId is that run.', ['BATCH_ALREADY_RUNNING'], z.object({ executionId: positiveId })),
      fail(
        'The database could not be reached (nothing was recorded), or the Kubernetes API refused or did not answer the AggregationRun (KUBERNETES_UNAVAILABLE; the execution is recorded FAILED with the reason). Retry later.',
        ['DATABASE_UNAVAILABLE', 'KUBERNETES_UNAVAILABLE'],
      ),
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/batch/status/{executionId}',
    operationId: 'getExecution',
    tags: ['admin', 'batch'],
    summary: 'One execution, with its per-campaign steps',
    parameters: [idPathParameter('ExecutionId', 'executionId', idParam)],
    replies: [
      ok(200, 'The execution.', ExecutionDetailJson),
      badInput('executionId is not a positive integer.'),
      fail('The execution does not exist, or was removed after AGGREGATION_RETENTION_DAYS.', ['EXECUTION_NOT_FOUND']),
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/batch/history',
    operationId: 'listExecutions',
    tags: ['admin', 'batch'],
    summary: 'Recent executions, newest first',
    description: 'Without their steps. Finished executions started more than AGGREGATION_RETENTION_DAYS ago are removed by later runs.',
    parameters: [
      { id: 'HistorySize', name: 'size', in: 'query', required: false, description: 'How many executions to list.', schema: historyQuery.shape.size },
    ],
    replies: [ok(200, 'The most recent executions.', z.array(ExecutionJson)), badInput('size is not an integer from 1 to 200.'), databaseDown],
  }),
];

function executionView(e: Execution, steps?: readonly ExecutionStep[]) {
  return {
    executionId: e.id,
    jobName: e.jobName,
    date: e.date,
    parameters: e.parameters,
    status: e.status,
    startedAt: e.startedAt.toISOString(),
    endedAt: e.endedAt?.toISOString() ?? null,
    durationMs: e.endedAt ? e.endedAt.getTime() - e.startedAt.getTime() : null,
    error: e.error,
    ...(steps
      ? {
          campaigns: { total: steps.length, completed: steps.filter((s) => s.status === 'COMPLETED').length, failed: steps.filter((s) => s.status === 'FAILED').length },
          steps,
        }
      : {}),
  };
}

export function aggregationRunRoutes(deps: AggregationRunDeps): Router {
  const router = Router();

  router.post('/aggregate', async (req, res) => {
    const { date } = parse(aggregateQuery, req.query, 'query');
    const day = date ?? yesterdayIn(deps.clock(), deps.timeZone);
    try {
      if (deps.launcher) {
        const { executionId, jobName } = await deps.launcher.start(day);
        sendOk(res, 202, 'aggregation started', { executionId, date: day, status: 'STARTED', aggregationRun: jobName, kubernetesJob: jobName });
        return;
      }
      const { executionId, done } = await deps.job.start(day);
      deps.running.add(done);
      void done.finally(() => deps.running.delete(done));
      sendOk(res, 202, 'aggregation started', { executionId, date: day, status: 'STARTED' });
    } catch (err) {
      if (err instanceof InvalidDateError) throw new ValidationError([{ field: 'query.date', problem: err.message }]);
      throw err;
    }
  });

  router.get('/status/:executionId', async (req, res) => {
    const id = parse(idParam, req.params.executionId, 'path.executionId');
    const found = await deps.executions.find(id);
    if (!found) throw new NotFoundError('EXECUTION_NOT_FOUND', `execution ${id} does not exist`);
    sendOk(res, 200, 'execution', executionView(found.execution, found.steps));
  });

  router.get('/history', async (req, res) => {
    const { size } = parse(historyQuery, req.query, 'query');
    sendOk(res, 200, 'executions, newest first', (await deps.executions.history(size)).map((e) => executionView(e)));
  });
  return router;
}
