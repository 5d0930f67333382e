import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { AggregationJob } from '../../services/daily-stats/aggregation-job.js';
import { addDays, dateIn, dayWindow, type IsoDate } from '../../services/platform/day-window.js';
import { AggregationRunStore } from '../../services/db/aggregation-run-store.js';
import { sqlDateTime } from '../../services/db/datetime.js';
import { StatsStore } from '../../services/db/stats-store.js';
import { createLogger } from '../../services/platform/logger.js';
import { dbEnv } from './support/api.js';
import { startTestConsumer, waitForCaughtUp, type TestConsumer } from './support/consumer.js';
import { waitForDecisions } from './support/decisions.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request, type JsonResponse } from './support/http.js';
import { spawnEntrypoint, waitFor } from './support/process.js';

const ZONE = 'Asia/Seoul';

// Days relative to today, so that no case depends on the machine's calendar: a month back is
// safely in the past, and each case uses days of its own.
const TODAY = dateIn(new Date(), ZONE);
const day = (n: number): IsoDate => addDays(TODAY, n - 30);
/** `hours` after local midnight of `date` in ZONE. */
const at = (date: IsoDate, hours: number) => new Date(dayWindow(date, ZONE).start.getTime() + hours * 3_600_000);

describe('daily aggregation and statistics', () => {
  const fx = useApiFixture('stats', { STATS_TIME_ZONE: ZONE });
  let consumer: TestConsumer;
  before(async () => {
    const started = new Date();
    consumer = await startTestConsumer(fx().db.config, fx().topic, { CONSUMER_LAG_INTERVAL_MS: '200' });
    // the days these cases aggregate ended long ago: decided once the consumer has been at the log end since
    await waitForCaughtUp(fx().db.sequelize, fx().topic, started);
  });
  after(async () => {
    await consumer.stop();
  });

  const url = (path: string) => `${fx().api.url}${path}`;
  const createCampaign = async (name: string, totalStock: number) => dataOf(await request(url('/api/admin/campaigns'), { body: { name, totalStock } })).id as number;
  const statsOf = (res: JsonResponse) => dataOf(res).stats as Record<string, unknown>[];
  const job = (beforeCampaign?: (id: number) => Promise<void>) =>
    new AggregationJob(
      { stats: new StatsStore(fx().db.sequelize), executions: new AggregationRunStore(fx().db.sequelize), logger: createLogger('test', 'silent'), beforeCampaign },
      { timeZone: ZONE, retentionDays: 90, staleAfterMs: 600_000, decidedMarginMs: 300_000 },
    );
  /** History rows written directly, for days other than today. */
  const insertHistory = async (campaignId: number, rows: { userId: number; status: string; acceptedAt: Date }[]) => {
    for (const [i, r] of rows.entries()) {
      await fx().db.sequelize.query(
        `INSERT INTO participations (request_id, campaign_id, user_id, status, source, accepted_at, decided_at) VALUES (?, ?, ?, ?, 'SYNC', ?, ?)`,
        { replacements: [`h-${campaignId}-${i}-${r.acceptedAt.getTime()}`, campaignId, r.userId, r.status, sqlDateTime(r.acceptedAt), sqlDateTime(r.acceptedAt)] },
      );
    }
  };
  const aggregate = async (date: string) => {
    const res = await request(url(`/api/admin/batch/aggregate?date=${date}`), { method: 'POST' });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const id = dataOf(res).executionId as number;
    let status: Record<string, unknown> = {};
    await waitFor('execution to end', async () => {
      status = dataOf(await request(url(`/api/admin/batch/status/${id}`)));
      return status.status !== 'STARTED';
    });
    return status;
  };

  it('aggregated numbers equal the raw numbers for a day with traffic from both paths', async () => {
    const kafkaCampaign = await createCampaign('kafka day', 5);
    const mixed = await createCampaign('mixed day', 8);
    const kafkaUsers = Array.from({ length: 20 }, (_, i) => 100 + (i % 15));
    // A request may also be answered without entering the log once the API sees the campaign sold
    // out (SOLD_OUT, or DUPLICATE to a user who already won); only accepted ones (202) are decided
    // and counted.
    const send = (campaignId: number) => Promise.all(kafkaUsers.map((userId) => request(url(`/api/campaigns/${campaignId}/participation`), { body: { userId } })));
    const [forKafka, forMixed] = await Promise.all([send(kafkaCampaign), send(mixed)]);
    const acceptedOf = (responses: JsonResponse[]) => responses.filter((r) => r.status === 202).length;
    for (const r of [...forKafka, ...forMixed]) assert.ok(r.status === 202 || ['SOLD_OUT', 'DUPLICATE'].includes(dataOf(r).status as string), JSON.stringify(r.body));
    for (const userId of [1, 2, 3, 100, 101]) assert.equal((await request(url(`/api/campaigns/${mixed}/participation-sync`), { body: { userId } })).status, 200);
    await waitForDecisions(fx().db.sequelize, kafkaCampaign, acceptedOf(forKafka));
    const mixedTotal = acceptedOf(forMixed) + 5;
    await waitForDecisions(fx().db.sequelize, mixed, mixedTotal);

    const today = dateIn(new Date(), ZONE);
    const execution = await aggregate(today);
    assert.equal(execution.status, 'COMPLETED');
    const daily = await request(url(`/api/admin/stats/daily?date=${today}`));
    const raw = await request(url(`/api/admin/stats/raw?date=${today}`));
    assert.equal(dataOf(daily).method, 'BATCH_AGGREGATED');
    assert.equal(dataOf(raw).method, 'RAW_QUERY');
    assert.equal(typeof dataOf(daily).queryTimeMs, 'number');
    assert.deepEqual(statsOf(daily), statsOf(raw));
    const mixedRow = statsOf(daily).find((s) => s.campaignId === mixed);
    assert.ok(mixedRow);
    assert.equal(mixedRow.totalParticipations, mixedTotal);
    assert.equal(mixedRow.successCount, 8);
    const [sources] = await fx().db.sequelize.query<{ n: number }>('SELECT COUNT(DISTINCT source) AS n FROM participations WHERE campaign_id = ?', {
      replacements: [mixed],
      type: QueryTypes.SELECT,
    });
    assert.equal(sources?.n, 2, 'the day has traffic from both paths');

    // one partition: decisions follow arrival order exactly
    const analysis = dataOf(await request(url(`/api/admin/stats/order-analysis/${kafkaCampaign}`)));
    assert.equal(analysis.totalDecisions, acceptedOf(forKafka));
    assert.equal(analysis.violations, 0);
    assert.equal(analysis.inArrivalOrder, true);
    const violations = dataOf(await request(url(`/api/admin/stats/order-violations/${kafkaCampaign}?limit=10`)));
    assert.deepEqual(violations.items, []);
  });

  it('running the same day twice leaves identical rows, and history shows both runs', async () => {
    const id = await createCampaign('twice', 3);
    const twiceDay = day(1);
    await insertHistory(id, [
      { userId: 1, status: 'SUCCESS', acceptedAt: at(twiceDay, 10) },
      { userId: 2, status: 'SOLD_OUT', acceptedAt: at(twiceDay, 11) },
    ]);
    const snapshot = async () =>
      fx().db.sequelize.query('SELECT campaign_id, stat_date, total_participations, success_count, sold_out_count, duplicate_count, unique_users, first_accepted_at, last_accepted_at FROM campaign_stats WHERE stat_date = ? ORDER BY campaign_id', {
        replacements: [twiceDay],
        type: QueryTypes.SELECT,
      });
    const first = await aggregate(twiceDay);
    const rowsAfterFirst = await snapshot();
    const second = await aggregate(twiceDay);
    assert.deepEqual(await snapshot(), rowsAfterFirst);
    assert.ok(rowsAfterFirst.length >= 1);
    const history = (await request(url('/api/admin/batch/history?size=50'))).body.data as { executionId: number; date: string; status: string }[];
    const runs = history.filter((h) => h.date === twiceDay);
    assert.deepEqual(runs.map((r) => r.executionId).sort(), [first.executionId, second.executionId].sort());
    assert.ok(runs.every((r) => r.status === 'COMPLETED'));
  });

  it('one campaign failing leaves the execution PARTIAL and the others committed', async () => {
    const good = await createCampaign('good', 5);
    const bad = await createCampaign('bad', 5);
    const partialDay = day(2);
    const noon = at(partialDay, 12);
    await insertHistory(good, [{ userId: 1, status: 'SUCCESS', acceptedAt: noon }]);
    await insertHistory(bad, [{ userId: 1, status: 'SUCCESS', acceptedAt: noon }]);
    const { executionId, done } = await job((campaignId) => (campaignId === bad ? Promise.reject(new Error('injected failure')) : Promise.resolve())).start(partialDay);
    const outcome = await done;
    assert.equal(outcome.status, 'PARTIAL');
    assert.equal(outcome.failed, 1);
    const status = dataOf(await request(url(`/api/admin/batch/status/${executionId}`)));
    assert.equal(status.status, 'PARTIAL');
    const steps = status.steps as { campaignId: number; status: string; error: string | null }[];
    assert.equal(steps.find((s) => s.campaignId === bad)?.status, 'FAILED');
    assert.match(steps.find((s) => s.campaignId === bad)?.error ?? '', /injected failure/);
    assert.equal(steps.find((s) => s.campaignId === good)?.status, 'COMPLETED');
    const daily = statsOf(await request(url(`/api/admin/stats/daily?date=${partialDay}`)));
    assert.ok(daily.some((s) => s.campaignId === good));
    assert.ok(!daily.some((s) => s.campaignId === bad));
  });

  it('rows at 23:59:59.999 and 00:00:00.000 in the configured zone land on their own days', async () => {
    const id = await createCampaign('midnight', 5);
    const [before, after] = [day(3), day(4)];
    // Seoul is UTC+9: local midnight of a day is 15:00Z of the day before
    const midnight = dayWindow(after, ZONE);
    assert.equal(midnight.start.toISOString().slice(11), '15:00:00.000Z');
    await insertHistory(id, [
      { userId: 1, status: 'SUCCESS', acceptedAt: new Date(midnight.start.getTime() - 1) },
      { userId: 2, status: 'SUCCESS', acceptedAt: midnight.start },
      { userId: 3, status: 'SOLD_OUT', acceptedAt: new Date(midnight.end.getTime() - 1) },
    ]);
    await aggregate(before);
    await aggregate(after);
    const on = async (date: string) => statsOf(await request(url(`/api/admin/stats/daily?date=${date}`))).find((s) => s.campaignId === id);
    assert.equal((await on(before))?.totalParticipations, 1);
    assert.equal((await on(after))?.totalParticipations, 2);
    const series = dataOf(await request(url(`/api/admin/stats/campaign/${id}?startDate=${day(1)}&endDate=${day(5)}`)));
    assert.deepEqual((series.days as { date: string; totalParticipations: number }[]).map((d) => [d.date, d.totalParticipations]), [
      [before, 1],
      [after, 2],
    ]);
  });

  it('concurrent triggers for the same date: one runs, the others get 409, also from another process', async () => {
    const id = await createCampaign('busy', 5);
    const busyDay = day(5);
    await insertHistory(id, [{ userId: 1, status: 'SUCCESS', acceptedAt: at(busyDay, 14) }]);
    // Hold the day's stats key in an open transaction: the run that gets the claim must write
    // that key, so it waits here, still holding the claim, whatever plan the database picks.
    const lock = await fx().db.sequelize.transaction();
    await fx().db.sequelize.query(
      `INSERT INTO campaign_stats (campaign_id, stat_date, time_zone, total_participations, success_count, sold_out_count, duplicate_count,
         unique_users, execution_id, aggregated_at) VALUES (?, ?, 'UTC', 0, 0, 0, 0, 0, 0, NOW(3))`,
      { replacements: [id, busyDay], transaction: lock },
    );
    try {
      const [a, b] = await Promise.all([
        request(url(`/api/admin/batch/aggregate?date=${busyDay}`), { method: 'POST' }),
        request(url(`/api/admin/batch/aggregate?date=${busyDay}`), { method: 'POST' }),
      ]);
      assert.deepEqual([a.status, b.status].sort(), [202, 409]);
      const refused = a.status === 409 ? a : b;
      assert.equal(refused.body.errorCode, 'BATCH_ALREADY_RUNNING');
      const cli = spawnEntrypoint('services/aggregator/main.ts', { ...dbEnv(fx().db.config), STATS_TIME_ZONE: ZONE }, ['--date', busyDay]);
      assert.equal(await cli.exited(), 1);
      assert.match(cli.output(), /another run of this day is in progress/);
      // another day is not blocked
      assert.equal((await request(url(`/api/admin/batch/aggregate?date=${day(6)}`), { method: 'POST' })).status, 202);
    } finally {
      await lock.rollback();
    }
    await waitFor('the claimed run to finish', async () => {
      const history = (await request(url('/api/admin/batch/history'))).body.data as { date: string; status: string }[];
      return history.filter((h) => h.date === busyDay).every((h) => h.status !== 'STARTED');
    });
  });

  it('executions older than the retention period are removed by the next run', async () => {
    await fx().db.sequelize.query(
      `INSERT INTO batch_executions (job_name, stat_date, parameters, status, started_at, heartbeat_at, ended_at)
       VALUES ('daily-campaign-stats', ?, '{}', 'COMPLETED', ?, ?, ?)`,
      { replacements: [addDays(TODAY, -100), ...Array.from({ length: 3 }, () => sqlDateTime(new Date(Date.now() - 100 * 86_400_000)))] },
    );
    const [old] = await fx().db.sequelize.query<{ id: number }>('SELECT id FROM batch_executions WHERE stat_date = ?', {
      replacements: [addDays(TODAY, -100)],
      type: QueryTypes.SELECT,
    });
    assert.ok(old);
    await (await job().start(day(7))).done;
    assert.equal((await request(url(`/api/admin/batch/status/${old.id}`))).status, 404);
  });

  it('validation: malformed and future dates, unknown ids, bad ranges', async () => {
    const id = await createCampaign('validation', 1);
    const tomorrow = addDays(dateIn(new Date(), ZONE), 1);
    const cases: [string, string, number, string][] = [
      ['GET', '/api/admin/stats/daily', 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/stats/daily?date=2026-13-01', 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/stats/daily?date=yesterday', 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/stats/raw?date=2026-02-30', 400, 'VALIDATION_FAILED'],
      ['GET', `/api/admin/stats/daily?date=${tomorrow}`, 400, 'VALIDATION_FAILED'],
      ['POST', `/api/admin/batch/aggregate?date=${tomorrow}`, 400, 'VALIDATION_FAILED'],
      ['POST', '/api/admin/batch/aggregate?date=20261001', 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/batch/status/987654', 404, 'EXECUTION_NOT_FOUND'],
      ['GET', '/api/admin/batch/status/abc', 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/batch/history?size=0', 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/stats/campaign/987654', 404, 'CAMPAIGN_NOT_FOUND'],
      ['GET', `/api/admin/stats/campaign/${id}?startDate=${day(5)}&endDate=${day(1)}`, 400, 'VALIDATION_FAILED'],
      ['GET', `/api/admin/stats/campaign/${id}?startDate=${addDays(day(1), -400)}&endDate=${day(1)}`, 400, 'VALIDATION_FAILED'],
      ['GET', '/api/admin/stats/order-analysis/987654', 404, 'CAMPAIGN_NOT_FOUND'],
      ['GET', '/api/admin/stats/order-violations/0', 400, 'VALIDATION_FAILED'],
      ['GET', `/api/admin/stats/order-violations/${id}?limit=5000`, 400, 'VALIDATION_FAILED'],
    ];
    const failures: string[] = [];
    for (const [method, path, status, code] of cases) {
      const res = await request(url(path), { method });
      if (res.status !== status || res.body.errorCode !== code) failures.push(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    assert.deepEqual(failures, []);
    const cli = spawnEntrypoint('services/aggregator/main.ts', { ...dbEnv(fx().db.config), STATS_TIME_ZONE: ZONE }, ['--date', '2026-13-01']);
    assert.equal(await cli.exited(), 2);
    assert.match(cli.output(), /--date/);
    const badZone = spawnEntrypoint('services/aggregator/main.ts', { ...dbEnv(fx().db.config), STATS_TIME_ZONE: 'Mars/Olympus' });
    assert.equal(await badZone.exited(), 2);
    assert.match(badZone.output(), /STATS_TIME_ZONE/);
  });
});
