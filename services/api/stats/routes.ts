import { Router, type Response } from 'express';
import { z } from 'zod';
import { addDays, checkPastDate, dateIn, dayWindow, InvalidDateError } from '../../platform/day-window.js';
import type { DayStats, StatsStore } from '../../db/stats-store.js';
import type { OrderStore } from '../../db/order-store.js';
import type { CampaignService } from '../campaigns/service.js';
import { sendOk } from '../http/envelope.js';
import { ValidationError } from '../../platform/errors.js';
import { NOT_A_PAST_DATE, badInput, campaignIdParameter, campaignNotFound, databaseDown, fail, ok, operation, type Parameter } from '../http/openapi-declare.js';
import { calendarDateShape, idParam } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import { CampaignSeriesJson, DailyStatsJson, OrderAnalysisJson, OrderViolationsJson, StatsReportJson } from './responses.js';

const MAX_SERIES_DAYS = 366;
const DEFAULT_SERIES_DAYS = 30;

const calendarDate = z.string({ error: 'is required' }).meta(calendarDateShape);
const violationsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) });

const statsDateParameter: Parameter = {
  id: 'StatsDate',
  name: 'date',
  in: 'query',
  required: true,
  description: 'A calendar date YYYY-MM-DD, today or earlier in STATS_TIME_ZONE.',
  schema: calendarDate,
};

const seriesParameters: readonly Parameter[] = [
  {
    id: 'StartDate',
    name: 'startDate',
    in: 'query',
    required: false,
    description: `First day, inclusive: a calendar date YYYY-MM-DD, today or earlier in STATS_TIME_ZONE, not after endDate, at most ${MAX_SERIES_DAYS} days in all. Default: ${DEFAULT_SERIES_DAYS - 1} days before endDate, so ${DEFAULT_SERIES_DAYS} days.`,
    schema: calendarDate,
  },
  {
    id: 'EndDate',
    name: 'endDate',
    in: 'query',
    required: false,
    description: 'Last day, inclusive: a calendar date YYYY-MM-DD, today or earlier in STATS_TIME_ZONE. Default: today there.',
    schema: calendarDate,
  },
];

const dateInvalid = badInput(`date is missing, or ${NOT_A_PAST_DATE}.`);

const queryTimeout = fail('The query ran longer than HEAVY_QUERY_TIMEOUT_MS and was stopped; nothing changed.', ['QUERY_TIMEOUT']);

export const statsOperations = [
  operation({
    method: 'get',
    path: '/api/admin/stats/daily',
    operationId: 'getDailyStats',
    tags: ['admin', 'statistics'],
    summary: "One day's statistics, pre-aggregated",
    description:
      'Reads the rows the aggregation wrote for the day: one per campaign with a participation accepted that day, by campaignId. A day not yet aggregated gives an empty list; a row of today covers what was accepted before its run.',
    parameters: [statsDateParameter],
    replies: [
      ok(200, "The day's statistics.", z.intersection(StatsReportJson, z.object({ method: z.literal('BATCH_AGGREGATED') }))),
      dateInvalid,
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/stats/raw',
    operationId: 'getRawStats',
    tags: ['admin', 'statistics'],
    summary: "One day's statistics, computed from the history",
    description:
      'The numbers of /api/admin/stats/daily, computed from the participation history on every call whether or not the day was aggregated: one row per campaign with a participation accepted that day, by campaignId. Compare queryTimeMs with the pre-aggregated read.',
    parameters: [statsDateParameter],
    replies: [
      ok(200, "The day's statistics.", z.intersection(StatsReportJson, z.object({ method: z.literal('RAW_QUERY') }))),
      dateInvalid,
      databaseDown,
      queryTimeout,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/stats/campaign/{campaignId}',
    operationId: 'getCampaignStatsSeries',
    tags: ['admin', 'statistics'],
    summary: "One campaign's statistics, day by day",
    description:
      'The pre-aggregated days from startDate to endDate inclusive, oldest first. A day appears only once it is aggregated and only if the campaign had a participation accepted on it: missing days are not filled with zeros.',
    parameters: [campaignIdParameter, ...seriesParameters],
    replies: [
      ok(200, 'The days of the range that have statistics.', CampaignSeriesJson),
      badInput(
        `campaignId is not a positive integer, startDate or endDate is ${NOT_A_PAST_DATE}, startDate is after endDate, or the range spans more than ${MAX_SERIES_DAYS} days.`,
      ),
      campaignNotFound,
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/stats/order-violations/{campaignId}',
    operationId: 'getOrderViolations',
    tags: ['admin', 'statistics'],
    summary: 'Decisions that overtook an earlier arrival, largest delay first',
    description:
      'Decision order is the order decisions were stored in (the consumer stores each batch in log order); arrival order is acceptedAt. A decision is a violation when a request that arrived later was decided before it; its delay is how much later the latest such arrival was.',
    parameters: [
      campaignIdParameter,
      { id: 'ViolationLimit', name: 'limit', in: 'query', required: false, description: 'How many violations to list.', schema: violationsQuery.shape.limit },
    ],
    replies: [
      ok(200, 'The largest violations, with the totals.', OrderViolationsJson),
      badInput('campaignId is not a positive integer, or limit is not an integer from 1 to 1000.'),
      campaignNotFound,
      databaseDown,
      queryTimeout,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/stats/order-analysis/{campaignId}',
    operationId: 'getOrderAnalysis',
    tags: ['admin', 'statistics'],
    summary: 'Decision order against arrival order',
    description: 'The summary of /api/admin/stats/order-violations/{campaignId}, with the decisions per log partition.',
    parameters: [campaignIdParameter],
    replies: [ok(200, 'The analysis.', OrderAnalysisJson), badInput('campaignId is not a positive integer.'), campaignNotFound, databaseDown, queryTimeout],
  }),
];

export interface StatsDeps {
  stats: StatsStore;
  orders: OrderStore;
  campaigns: CampaignService;
  timeZone: string;
  clock: () => Date;
}

function statsView(s: DayStats): z.input<typeof DailyStatsJson> {
  return {
    campaignId: s.campaignId,
    campaignName: s.campaignName,
    date: s.date,
    totalParticipations: s.totalParticipations,
    successCount: s.successCount,
    soldOutCount: s.soldOutCount,
    duplicateCount: s.duplicateCount,
    failCount: s.soldOutCount + s.duplicateCount,
    uniqueUsers: s.uniqueUsers,
    successRate: `${(s.totalParticipations === 0 ? 0 : (s.successCount * 100) / s.totalParticipations).toFixed(2)}%`,
    firstAcceptedAt: s.firstAcceptedAt?.toISOString() ?? null,
    lastAcceptedAt: s.lastAcceptedAt?.toISOString() ?? null,
  };
}

/** Aborts when the client goes away before its answer is sent, so the query behind it can be killed. */
function abandonedBy(res: Response): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** Times only the database work, as the figure the two methods are compared on. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; queryTimeMs: number }> {
  const started = performance.now();
  const result = await work();
  return { result, queryTimeMs: Math.round((performance.now() - started) * 1000) / 1000 };
}

export function statsRoutes(deps: StatsDeps): Router {
  const router = Router();
  const dateParam = (value: unknown, field: string) => {
    const text = parse(calendarDate, value, field);
    try {
      return checkPastDate(text, deps.timeZone, deps.clock());
    } catch (err) {
      if (err instanceof InvalidDateError) throw new ValidationError([{ field, problem: err.message }]);
      throw err;
    }
  };

  router.get('/daily', async (req, res) => {
    const date = dateParam(req.query.date, 'query.date');
    const { result, queryTimeMs } = await timed(() => deps.stats.daily(date));
    sendOk(res, 200, 'daily statistics (pre-aggregated)', { date, timeZone: deps.timeZone, method: 'BATCH_AGGREGATED', queryTimeMs, stats: result.map(statsView) });
  });

  router.get('/raw', async (req, res) => {
    const date = dateParam(req.query.date, 'query.date');
    const { result, queryTimeMs } = await timed(() => deps.stats.raw(dayWindow(date, deps.timeZone), abandonedBy(res)));
    sendOk(res, 200, 'daily statistics (computed from history)', { date, timeZone: deps.timeZone, method: 'RAW_QUERY', queryTimeMs, stats: result.map(statsView) });
  });

  router.get('/campaign/:campaignId', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path.campaignId');
    const endDate = req.query.endDate === undefined ? dateIn(deps.clock(), deps.timeZone) : dateParam(req.query.endDate, 'query.endDate');
    const startDate = req.query.startDate === undefined ? addDays(endDate, 1 - DEFAULT_SERIES_DAYS) : dateParam(req.query.startDate, 'query.startDate');
    if (startDate > endDate) throw new ValidationError([{ field: 'query.startDate', problem: 'must not be after endDate' }]);
    if (addDays(startDate, MAX_SERIES_DAYS) <= endDate) throw new ValidationError([{ field: 'query.startDate', problem: `the range may span at most ${MAX_SERIES_DAYS} days` }]);
    await deps.campaigns.get(campaignId);
    const { result, queryTimeMs } = await timed(() => deps.stats.series(campaignId, startDate, endDate));
    sendOk(res, 200, 'per-day statistics of one campaign', { campaignId, startDate, endDate, timeZone: deps.timeZone, method: 'BATCH_AGGREGATED', queryTimeMs, days: result.map(statsView) });
  });

  router.get('/order-violations/:campaignId', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path.campaignId');
    const { limit } = parse(violationsQuery, req.query, 'query');
    await deps.campaigns.get(campaignId);
    const { analysis, worst } = await deps.orders.report(campaignId, limit, abandonedBy(res));
    sendOk(res, 200, 'decisions that overtook an earlier arrival, largest delay first', {
      campaignId,
      totalDecisions: analysis.totalDecisions,
      totalViolations: analysis.violations,
      items: worst.map((v) => ({ ...v, acceptedAt: v.acceptedAt.toISOString(), overtakenBy: v.overtakenBy.toISOString(), sequence: v.offset })),
    });
  });

  router.get('/order-analysis/:campaignId', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path.campaignId');
    await deps.campaigns.get(campaignId);
    const { analysis: a } = await deps.orders.report(campaignId, 0, abandonedBy(res));
    sendOk(res, 200, 'decision order against arrival order', {
      campaignId,
      ...a,
      violationRate: `${(a.totalDecisions === 0 ? 0 : (a.violations * 100) / a.totalDecisions).toFixed(2)}%`,
      inArrivalOrder: a.violations === 0,
    });
  });
  return router;
}
