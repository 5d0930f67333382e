import { z } from 'zod';
import { VERDICTS } from '../../core/verdict.js';
import { calendarDay, count, instant, percent, positiveId } from '../http/response-schemas.js';
import { requestId, userId } from '../http/schemas.js';

const timeZone = z.string().meta({ description: 'STATS_TIME_ZONE, in which the day is counted.', examples: ['Asia/Seoul'] });

export const DailyStatsJson = z
  .object({
    campaignId: positiveId,
    campaignName: z.string(),
    date: calendarDay,
    totalParticipations: count.meta({ description: 'Decisions for requests accepted on the day.' }),
    successCount: count,
    soldOutCount: count,
    duplicateCount: count,
    failCount: count.meta({ description: 'soldOutCount + duplicateCount' }),
    uniqueUsers: count.meta({ description: 'Distinct userIds among them.' }),
    successRate: percent('successCount / totalParticipations, in percent with two decimals; 0.00% when there are none.', '12.50%'),
    firstAcceptedAt: instant.nullable(),
    lastAcceptedAt: instant.nullable(),
  })
  .meta({ id: 'DailyStats' });

const QueryTimeMsJson = z
  .number()
  .min(0)
  .meta({
    id: 'QueryTimeMs',
    description: 'Time spent in the database, in milliseconds with up to 3 decimals: the figure the two methods are compared on.',
    examples: [1.234],
  });

export const StatsReportJson = z
  .object({
    date: calendarDay,
    timeZone,
    method: z
      .enum(['BATCH_AGGREGATED', 'RAW_QUERY'])
      .meta({ description: 'BATCH_AGGREGATED: read from the aggregated rows; RAW_QUERY: computed from the history.' }),
    queryTimeMs: QueryTimeMsJson,
    stats: z.array(DailyStatsJson).meta({ description: 'One per campaign with a participation accepted on the day, by campaignId.' }),
  })
  .meta({ id: 'StatsReport' });

export const CampaignSeriesJson = z
  .object({
    campaignId: positiveId,
    startDate: calendarDay,
    endDate: calendarDay,
    timeZone: z.string().meta({ description: 'STATS_TIME_ZONE, in which the days are counted.', examples: ['Asia/Seoul'] }),
    method: z.literal('BATCH_AGGREGATED'),
    queryTimeMs: QueryTimeMsJson,
    days: z.array(DailyStatsJson).meta({ description: 'Oldest first; days without statistics are left out.' }),
  })
  .meta({ id: 'CampaignSeries' });

const logPosition = (what: string) => count.nullable().meta({ description: `${what}; null for a SYNC decision.` });

const OrderViolationJson = z
  .object({
    requestId,
    userId,
    status: z.enum(VERDICTS),
    partition: logPosition('Log partition'),
    offset: logPosition('Log offset'),
    sequence: count.nullable().meta({ description: 'offset again, under the name Participation uses.' }),
    acceptedAt: instant.meta({ description: 'When this request arrived.' }),
    overtakenBy: instant.meta({ description: 'The latest arrival among the requests decided before this one.' }),
    delayMs: z.number().int().min(1).meta({ description: 'overtakenBy - acceptedAt' }),
  })
  .meta({ id: 'OrderViolation' });

export const OrderViolationsJson = z
  .object({
    campaignId: positiveId,
    totalDecisions: count,
    totalViolations: count.meta({ description: 'All of them, however many limit lets through.' }),
    items: z.array(OrderViolationJson).max(1000).meta({ description: 'Largest delay first.' }),
  })
  .meta({ id: 'OrderViolations' });

export const OrderAnalysisJson = z
  .object({
    campaignId: positiveId,
    totalDecisions: count,
    violations: count,
    maxDelayMs: z.number().min(0).meta({ description: 'The largest delay of a violation; 0 without violations.' }),
    avgDelayMs: z.number().min(0).meta({ description: 'The mean delay of the violations, to one decimal; 0 without violations.' }),
    partitions: z
      .array(z.object({ partition: count.nullable(), decisions: z.number().int().min(1) }))
      .meta({ description: 'Decisions per log partition, by partition; null collects the SYNC decisions and comes first.' }),
    violationRate: percent('violations / totalDecisions, in percent with two decimals; 0.00% without decisions.', '0.00%'),
    inArrivalOrder: z.boolean().meta({ description: 'Whether there is no violation.' }),
  })
  .meta({ id: 'OrderAnalysis' });
