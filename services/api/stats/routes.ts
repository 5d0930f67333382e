import { Router, type Response } from 'express';
import { z } from 'zod';
import { addDays, checkPastDate, dateIn, dayWindow, InvalidDateError } from '../../aggregator/day-window.js';
import type { DayStats, StatsStore } from '../../db/stats-store.js';
import type { OrderStore } from '../../db/order-store.js';
import type { CampaignService } from '../campaigns/service.js';
import { sendOk } from '../http/envelope.js';
import { ValidationError } from '../http/errors.js';
import { idParam } from '../http/schemas.js';
import { parse } from '../http/validate.js';

const MAX_SERIES_DAYS = 366;

export interface StatsDeps {
  stats: StatsStore;
  orders: OrderStore;
  campaigns: CampaignService;
  timeZone: string;
  clock: () => Date;
}

function statsView(s: DayStats) {
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
    const text = parse(z.string({ error: 'is required' }), value, field);
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
    const startDate = req.query.startDate === undefined ? addDays(endDate, -29) : dateParam(req.query.startDate, 'query.startDate');
    if (startDate > endDate) throw new ValidationError([{ field: 'query.startDate', problem: 'must not be after endDate' }]);
    if (addDays(startDate, MAX_SERIES_DAYS) <= endDate) throw new ValidationError([{ field: 'query.startDate', problem: `the range may span at most ${MAX_SERIES_DAYS} days` }]);
    await deps.campaigns.get(campaignId);
    const { result, queryTimeMs } = await timed(() => deps.stats.series(campaignId, startDate, endDate));
    sendOk(res, 200, 'per-day statistics of one campaign', { campaignId, startDate, endDate, timeZone: deps.timeZone, method: 'BATCH_AGGREGATED', queryTimeMs, days: result.map(statsView) });
  });

  router.get('/order-violations/:campaignId', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path.campaignId');
    const { limit } = parse(z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }), req.query, 'query');
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
