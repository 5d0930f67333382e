import { z } from 'zod';
import { AGGREGATION_JOB, type ExecutionStatus, type ExecutionStep } from '../../db/aggregation-run-store.js';
import { calendarDay, count, instant, positiveId } from '../http/response-schemas.js';

// Records rather than arrays so that the compiler flags a status added to or dropped from the store.
const EXECUTION_STATUSES = { STARTED: true, COMPLETED: true, PARTIAL: true, FAILED: true } satisfies Record<ExecutionStatus, true>;
const STEP_STATUSES = { COMPLETED: true, FAILED: true } satisfies Record<ExecutionStep['status'], true>;


export const ExecutionStartedJson = z
  .object({
    executionId: positiveId,
    date: calendarDay,
    status: z.literal('STARTED'),
    aggregationRun: z.string().optional().meta({ description: 'In a cluster (AGGREGATION_RUNNER=aggregation-run): the AggregationRun object the operator carries out (`kubectl get aggregationrun NAME`).' }),
    kubernetesJob: z.string().optional().meta({ description: 'In a cluster (AGGREGATION_RUNNER=aggregation-run): the Job that runs the aggregation, made by the operator; named like the AggregationRun.' }),
  })
  .meta({ id: 'ExecutionStarted' });

export const ExecutionJson = z
  .object({
    executionId: positiveId,
    jobName: z.string().meta({ examples: [AGGREGATION_JOB] }),
    date: calendarDay.meta({ description: 'The day aggregated.' }),
    parameters: z.record(z.string(), z.unknown()).meta({ description: 'What the run was started with: `{ "date", "timeZone" }`; in a cluster also `kubernetesJob`, the Job that ran it, and `aggregationRun`, the AggregationRun object it came from (with `aggregationRunUid` when the operator claimed the day for an object made with kubectl).' }),
    status: z.enum(Object.keys(EXECUTION_STATUSES) as [ExecutionStatus, ...ExecutionStatus[]]).meta({
      description:
        'STARTED while running; COMPLETED when every campaign was aggregated; PARTIAL when some failed and the others are committed; FAILED when all failed, the job itself broke, or the run was abandoned without a heartbeat.',
    }),
    startedAt: instant,
    endedAt: instant.nullable().meta({ description: 'null while STARTED.' }),
    durationMs: count.nullable().meta({ description: 'endedAt - startedAt; null while STARTED.' }),
    error: z.string().nullable().meta({ description: 'Why the run is PARTIAL or FAILED.' }),
  })
  .meta({ id: 'Execution' });

const ExecutionStepJson = z
  .object({
    campaignId: positiveId,
    status: z.enum(Object.keys(STEP_STATUSES) as [ExecutionStep['status'], ...ExecutionStep['status'][]]),
    rowsRead: count.meta({ description: 'Participations of the campaign on the day; 0 when FAILED.' }),
    durationMs: count,
    error: z.string().nullable().meta({ description: 'Why the step FAILED.' }),
  })
  .meta({ id: 'ExecutionStep' });

export const ExecutionDetailJson = z
  .intersection(
    ExecutionJson,
    z.object({
      campaigns: z
        .object({ total: count, completed: count, failed: count })
        .meta({ description: 'Counts of the steps recorded so far.' }),
      steps: z.array(ExecutionStepJson).meta({ description: 'One per campaign processed so far, by campaignId.' }),
    }),
  )
  .meta({ id: 'ExecutionDetail' });
