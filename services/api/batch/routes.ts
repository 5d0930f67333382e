import { Router } from 'express';
import { z } from 'zod';
import type { AggregationJob, AggregationOutcome } from '../../aggregator/aggregation-job.js';
import { InvalidDateError, yesterdayIn } from '../../platform/day-window.js';
import { AlreadyRunningError, type BatchStore, type Execution, type ExecutionStep } from '../../db/batch-store.js';
import type { Logger } from '../../platform/logger.js';
import { sendOk } from '../http/envelope.js';
import { AppError, NotFoundError, ValidationError } from '../http/errors.js';
import { idParam } from '../http/schemas.js';
import { parse } from '../http/validate.js';

export interface BatchDeps {
  job: AggregationJob;
  executions: BatchStore;
  timeZone: string;
  clock: () => Date;
  logger: Logger;
  /** Runs started here, so that shutdown can let them finish. */
  running: Set<Promise<AggregationOutcome>>;
}

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

export function batchRoutes(deps: BatchDeps): Router {
  const router = Router();

  router.post('/aggregate', async (req, res) => {
    const { date } = parse(z.object({ date: z.string().optional() }), req.query, 'query');
    const day = date ?? yesterdayIn(deps.clock(), deps.timeZone);
    try {
      const { executionId, done } = await deps.job.start(day);
      deps.running.add(done);
      void done.finally(() => deps.running.delete(done));
      sendOk(res, 202, 'aggregation started', { executionId, date: day, status: 'STARTED' });
    } catch (err) {
      if (err instanceof InvalidDateError) throw new ValidationError([{ field: 'query.date', problem: err.message }]);
      if (err instanceof AlreadyRunningError) {
        throw new AppError('BATCH_ALREADY_RUNNING', `an aggregation of ${day} is already running`, undefined, { executionId: err.executionId });
      }
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
    const { size } = parse(z.object({ size: z.coerce.number().int().min(1).max(200).default(20) }), req.query, 'query');
    sendOk(res, 200, 'executions, newest first', (await deps.executions.history(size)).map((e) => executionView(e)));
  });
  return router;
}
