import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { QueryTypes } from 'sequelize';
import { addDays, dayWindow } from '../../services/platform/day-window.js';
import { sqlDateTime } from '../../services/db/datetime.js';
import { seedData, type SeedOptions, type SeedResult } from '../../scripts/seed-data.js';
import { dbEnv } from './support/api.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

function runCli(args: readonly string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'scripts/seed-data.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('seed data', () => {
  let db: TestDatabase;
  const options: SeedOptions = { campaigns: 3, days: 4, rows: 12_000, timeZone: 'Asia/Seoul', endDate: '2026-03-10' };
  let seeded: SeedResult;

  const select = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
    db.sequelize.query<T>(sql, { replacements, type: QueryTypes.SELECT });

  /** Rows per campaign accepted within [start, end). */
  const countsIn = async (campaignIds: readonly number[], start: Date, end: Date) => {
    const rows = await select<{ campaign_id: number; n: number }>(
      `SELECT campaign_id, COUNT(*) AS n FROM participations
       WHERE campaign_id IN (:campaignIds) AND accepted_at >= :start AND accepted_at < :end GROUP BY campaign_id`,
      { campaignIds, start: sqlDateTime(start), end: sqlDateTime(end) },
    );
    return new Map(rows.map((r) => [r.campaign_id, r.n]));
  };

  const allOf = (campaignIds: readonly number[], value: number) => new Map(campaignIds.map((id) => [id, value]));

  before(async () => {
    db = await createTestDatabase();
    seeded = await seedData(db.sequelize, options);
  });
  after(() => db.drop());

  it('reports the campaigns, rows and days it seeded', () => {
    assert.equal(seeded.campaignIds.length, 3);
    assert.equal(new Set(seeded.campaignIds).size, 3);
    assert.equal(seeded.rows, 12_000);
    assert.equal(seeded.firstDate, '2026-03-07');
    assert.equal(seeded.lastDate, '2026-03-10');
    assert.ok(seeded.seconds > 0);
  });

  it('inserts exactly the rows asked for, the same number per campaign', async () => {
    const [total] = await select<{ n: number }>('SELECT COUNT(*) AS n FROM participations');
    assert.equal(Number(total?.n), 12_000);
    const all = dayWindow(seeded.firstDate, options.timeZone).start;
    const end = dayWindow(seeded.lastDate, options.timeZone).end;
    assert.deepEqual(await countsIn(seeded.campaignIds, all, end), allOf(seeded.campaignIds, 4_000));
  });

  it('spreads every campaign evenly over the local days', async () => {
    for (let i = 0; i < options.days; i++) {
      const day = dayWindow(addDays(seeded.firstDate, i), options.timeZone);
      assert.deepEqual(await countsIn(seeded.campaignIds, day.start, day.end), allOf(seeded.campaignIds, 1_000), `day ${day.date}`);
    }
  });

  it('spreads the rows of a day over all of its hours', async () => {
    const [span] = await select<{ hours: number }>(
      "SELECT COUNT(DISTINCT DATE_FORMAT(accepted_at, '%Y-%m-%d %H')) AS hours FROM participations WHERE campaign_id IN (:ids)",
      { ids: seeded.campaignIds },
    );
    assert.equal(Number(span?.hours), 4 * 24);
  });

  it('gives every campaign 30% SUCCESS, 60% SOLD_OUT and 10% DUPLICATE', async () => {
    const rows = await select<{ campaign_id: number; status: string; n: number }>(
      'SELECT campaign_id, status, COUNT(*) AS n FROM participations WHERE campaign_id IN (:ids) GROUP BY campaign_id, status',
      { ids: seeded.campaignIds },
    );
    const expected = seeded.campaignIds.flatMap((id) => [`${id} SUCCESS 1200`, `${id} SOLD_OUT 2400`, `${id} DUPLICATE 400`]).sort();
    assert.deepEqual(rows.map((r) => `${r.campaign_id} ${r.status} ${r.n}`).sort(), expected);
  });

  it('writes rows shaped like decided log messages', async () => {
    const [shape] = await select<{ users: number; requests: number; bad_requests: number; not_kafka: number; bad_decided: number; offsets: number; max_offset: number }>(
      `SELECT COUNT(DISTINCT user_id) AS users, COUNT(DISTINCT request_id) AS requests,
              SUM(request_id NOT REGEXP '^[A-Za-z0-9._:-]{1,64}$') AS bad_requests,
              SUM(source <> 'KAFKA' OR log_partition <> 0) AS not_kafka,
              SUM(decided_at <= accepted_at) AS bad_decided,
              COUNT(DISTINCT log_offset) AS offsets, MAX(log_offset) AS max_offset
       FROM participations WHERE campaign_id IN (:ids)`,
      { ids: seeded.campaignIds },
    );
    assert.deepEqual(
      { ...shape },
      { users: 12_000, requests: 12_000, bad_requests: 0, not_kafka: 0, bad_decided: 0, offsets: 12_000, max_offset: 11_999 },
    );
  });

  it('numbers the log in the order requests were accepted', async () => {
    const [out] = await select<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (
         SELECT accepted_at, LAG(accepted_at) OVER (ORDER BY log_offset) AS previous
         FROM participations WHERE campaign_id IN (:ids)
       ) AS ordered WHERE accepted_at < previous`,
      { ids: seeded.campaignIds },
    );
    assert.equal(Number(out?.n), 0);
  });

  it('leaves the campaign counters equal to the history, with nothing pending', async () => {
    const rows = await select<{ id: number; bad: number }>(
      `SELECT c.id,
              (c.success_count <> h.success OR c.sold_out_count <> h.sold_out OR c.duplicate_count <> h.duplicate
               OR c.log_resolved_count <> h.total OR a.accepted <> h.total
               OR c.total_stock < c.success_count OR c.current_stock <> c.total_stock - c.success_count) AS bad
       FROM campaigns c
       JOIN campaign_accepts a ON a.campaign_id = c.id
       JOIN (SELECT campaign_id, COUNT(*) AS total, SUM(status = 'SUCCESS') AS success,
                    SUM(status = 'SOLD_OUT') AS sold_out, SUM(status = 'DUPLICATE') AS duplicate
             FROM participations GROUP BY campaign_id) h ON h.campaign_id = c.id
       WHERE c.id IN (:ids)`,
      { ids: seeded.campaignIds },
    );
    assert.deepEqual(rows.map((r) => [r.id, r.bad]).sort(), seeded.campaignIds.map((id) => [id, 0]).sort());
  });

  it('seeds again into the same database with new campaigns', async () => {
    const again = await seedData(db.sequelize, { ...options, campaigns: 2, rows: 800 });
    assert.equal(again.campaignIds.length, 2);
    assert.ok(again.campaignIds.every((id) => !seeded.campaignIds.includes(id)));
    const day = dayWindow(again.lastDate, options.timeZone);
    assert.deepEqual(await countsIn(again.campaignIds, day.start, day.end), allOf(again.campaignIds, 100));
    assert.deepEqual(await countsIn(seeded.campaignIds, day.start, day.end), allOf(seeded.campaignIds, 1_000));
  });

  it('spreads rows that do not divide evenly to within one row', async () => {
    const uneven = await seedData(db.sequelize, { campaigns: 7, days: 3, rows: 1_000, timeZone: 'UTC', endDate: '2026-01-31' });
    const perCampaign = [...(await countsIn(uneven.campaignIds, new Date('2026-01-29T00:00:00Z'), new Date('2026-02-01T00:00:00Z'))).values()];
    assert.equal(perCampaign.reduce((a, b) => a + b, 0), 1_000);
    assert.ok(perCampaign.every((n) => n === 142 || n === 143), String(perCampaign));
    for (const date of ['2026-01-29', '2026-01-30', '2026-01-31']) {
      const day = dayWindow(date, 'UTC');
      const counts = [...(await countsIn(uneven.campaignIds, day.start, day.end)).values()];
      assert.ok(counts.length === 7 && counts.every((n) => n === 47 || n === 48), `${date}: ${counts.join(',')}`);
    }
  });

  it('follows local days across a daylight-saving change', async () => {
    // 2026-03-08 has 23 hours in New York.
    const dst = await seedData(db.sequelize, { campaigns: 2, days: 3, rows: 6_000, timeZone: 'America/New_York', endDate: '2026-03-09' });
    for (const date of ['2026-03-07', '2026-03-08', '2026-03-09']) {
      const day = dayWindow(date, 'America/New_York');
      assert.deepEqual(await countsIn(dst.campaignIds, day.start, day.end), allOf(dst.campaignIds, 1_000), `day ${date}`);
    }
  });

  it('refuses options it cannot honour', async () => {
    await assert.rejects(seedData(db.sequelize, { ...options, rows: 50_000_001 }), /rows/);
    await assert.rejects(seedData(db.sequelize, { ...options, timeZone: 'Mars/Olympus' }), /time zone/);
  });

  it('runs from the command line and prints one summary line', () => {
    const run = runCli(['--campaigns', '2', '--days', '2', '--rows=1000', '--time-zone', 'UTC', '--end-date', '2026-01-31'], dbEnv(db.config));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout.trim(), /^seeded 1000 rows into 2 campaigns \(ids \d+\.\.\d+\), 2026-01-30\.\.2026-01-31 UTC, in [\d.]+ s \(\d+ rows\/s\)$/);
  });
});

describe('seed data command line', () => {
  // A closed port: should validation ever let a bad run through, it fails instead of seeding.
  const nowhere = { DB_HOST: '127.0.0.1', DB_PORT: '1' };
  const cases: ReadonlyArray<readonly [readonly string[], string]> = [
    [['--rows', '-5'], '--rows'],
    [['--campaigns', '0'], '--campaigns'],
    [['--days', '3661'], '--days'],
    [['--time-zone', 'Mars/Olympus'], '--time-zone'],
    [['--end-date', '2026-02-30'], '--end-date'],
    [['--bogus', '1'], '--bogus'],
  ];
  for (const [args, named] of cases) {
    it(`exits 2 naming ${named} for ${args.join(' ')}`, () => {
      const run = runCli(args, nowhere);
      assert.equal(run.status, 2, run.stderr);
      assert.ok(run.stderr.includes(named), run.stderr);
    });
  }
});
