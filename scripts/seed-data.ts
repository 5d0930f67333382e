/**
 * Loads synthetic participation history straight into the database, for experiments and for the
 * daily-statistics benchmark:
 *
 *   node --import tsx scripts/seed-data.ts [--campaigns 10] [--days 30] [--rows 1000000]
 *     [--time-zone $STATS_TIME_ZONE|UTC] [--end-date <yesterday in that zone>]
 *
 * The rows are produced by the server (INSERT … SELECT over a generated number sequence), never
 * sent row by row. Row n of a run (0 ≤ n < rows) is laid out like one single-partition log read
 * in order:
 *   - days: the rows are cut into `days` contiguous ranges of n, as equal as possible, and the
 *     rows of a day are spread over its local 24 (23, 25) hours in order of n, each at a
 *     pseudo-random instant inside its own equal slice of the day;
 *   - campaign = n mod campaigns, so every campaign gets the same number of rows each day (±1);
 *   - status by the row's rank within its campaign, m = n div campaigns: m mod 10 in 0..2 SUCCESS,
 *     3..8 SOLD_OUT, 9 DUPLICATE;
 *   - log_partition 0 and log_offset n: one offset sequence per run shared by its campaigns, as
 *     on the real one-partition topic, and ascending with accepted_at;
 *   - user_id = (lowest campaign id of the run) * 10^8 + n: unique within and across runs, so the
 *     one-win-per-user key never collides;
 *   - request_id = seed-<runTag>-<n as 8 digits>, runTag random.
 * Everything runs in one transaction: a failed seed leaves nothing behind.
 *
 * Speed: 1M rows take about 16 s on the local MariaDB 10.11 (2 vCPUs), CPU-bound in the one server
 * thread that maintains the table's six indexes. SET unique_checks=0, foreign_key_checks=0 saved
 * under 10% there and is not used: the database keeps checking every key of the generated rows,
 * and no session setting has to be put back on a pooled connection. A commit per statement
 * measured the same as one transaction.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { addDays, dayWindow, isIsoDate, isValidTimeZone, yesterdayIn, type DayWindow, type IsoDate } from '../services/platform/day-window.js';
import { sqlDateTime } from '../services/db/datetime.js';
import { migrateUp } from '../services/db/migrator.js';
import { createSequelize } from '../services/db/sequelize.js';
import { dbConfigShape, loadConfig } from '../services/platform/config.js';
import { configOrExit } from '../services/platform/process.js';

export interface SeedOptions {
  campaigns: number;
  days: number;
  rows: number;
  timeZone: string;
  /** The last day seeded (inclusive), YYYY-MM-DD in `timeZone`. */
  endDate: IsoDate;
}

export interface SeedResult {
  campaignIds: number[];
  rows: number;
  firstDate: IsoDate;
  lastDate: IsoDate;
  seconds: number;
}

const RANGES = { campaigns: [1, 1000], days: [1, 3660], rows: [1, 50_000_000] } as const;
type Count = keyof typeof RANGES;

// request_id carries n as exactly this many digits: with rows ≤ 5·10^7 it never truncates, and the
// ids then sort like n, so the unique index on request_id is filled at its end.
const OFFSET_DIGITS = 8;
// Spaces the user ids of consecutive runs apart; larger than the most rows a run may have.
const USERS_PER_RUN = 100_000_000;
// One INSERT … SELECT never writes more rows than this: statements stay short enough to watch.
const CHUNK_ROWS = 100_000;

const DIGITS = `(${Array.from({ length: 10 }, (_, d) => `SELECT ${d} AS x`).join(' UNION ALL ')})`;

function rangeProblem(name: Count, value: number): string | undefined {
  const [min, max] = RANGES[name];
  return Number.isInteger(value) && value >= min && value <= max ? undefined : `must be a whole number from ${min} to ${max}`;
}

function assertValid(options: SeedOptions): void {
  for (const name of Object.keys(RANGES) as Count[]) {
    const problem = rangeProblem(name, options[name]);
    if (problem !== undefined) throw new RangeError(`${name} ${problem} (got ${options[name]})`);
  }
  if (!isValidTimeZone(options.timeZone)) throw new RangeError(`unknown time zone: ${options.timeZone}`);
  if (!isIsoDate(options.endDate)) throw new RangeError(`endDate is not a YYYY-MM-DD calendar date: ${options.endDate}`);
}

/** Rows [first, first + count) of the run belong to `window`. */
interface DayPlan {
  readonly window: DayWindow;
  readonly first: number;
  readonly count: number;
}

function planDays({ rows, days, timeZone, endDate }: SeedOptions): DayPlan[] {
  const firstDate = addDays(endDate, 1 - days);
  // ceil(i·rows/days) in integers: exact, where the float quotient could land a hair off.
  const boundary = (i: number) => Math.floor((i * rows + days - 1) / days);
  return Array.from({ length: days }, (_, i) => ({
    window: dayWindow(addDays(firstDate, i), timeZone),
    first: boundary(i),
    count: boundary(i + 1) - boundary(i),
  }));
}

/** 0 … 10^k − 1 from k copies of a ten-row table: portable, no sequence engine needed. */
function offsetsSql(count: number): string {
  const digits = String(count - 1).length;
  const terms = Array.from({ length: digits }, (_, k) => (k === 0 ? 'd0.x' : `${10 ** k} * d${k}.x`));
  const tables = Array.from({ length: digits }, (_, k) => `${DIGITS} AS d${k}`);
  return `SELECT ${terms.join(' + ')} AS i FROM ${tables.join(' CROSS JOIN ')}`;
}

// Row n sits at a pseudo-random instant (a multiplicative hash of n) inside the n-th equal slice
// of its day, so accepted_at ascends with n like every other indexed column: each index is filled
// near its end, about a fifth faster than fully random instants. Integer arithmetic throughout:
// with decimals, rounding could push the last row of a day onto the next day's midnight.
const INSERT_ROWS = `
  INSERT INTO participations
    (request_id, campaign_id, user_id, status, source, log_partition, log_offset, accepted_at, decided_at)
  SELECT CONCAT(:requestPrefix, LPAD(r.n, ${OFFSET_DIGITS}, '0')),
         ELT(r.n MOD :campaigns + 1, :campaignIds),
         :firstCampaign * ${USERS_PER_RUN} + r.n,
         CASE WHEN r.campaign_row MOD 10 < 3 THEN 'SUCCESS' WHEN r.campaign_row MOD 10 < 9 THEN 'SOLD_OUT' ELSE 'DUPLICATE' END,
         'KAFKA', 0, r.n,
         r.accepted_at,
         r.accepted_at + INTERVAL (1 + r.n MOD 5) * 1000 MICROSECOND
  FROM (
    SELECT s.n,
           s.n DIV :campaigns AS campaign_row,
           CAST(:dayStart AS DATETIME(3)) + INTERVAL (
             s.slot_start + ((s.n * 2654435761) MOD 4294967296) * (s.slot_end - s.slot_start) DIV 4294967296
           ) * 1000 MICROSECOND AS accepted_at
    FROM (
      SELECT o.n,
             (o.n - :dayFirst) * :dayMs DIV :dayRows AS slot_start,
             (o.n - :dayFirst + 1) * :dayMs DIV :dayRows AS slot_end
      FROM (SELECT :from + g.i AS n FROM (%OFFSETS%) AS g) AS o
      WHERE o.n < :to
    ) AS s
  ) AS r`;

interface Run {
  readonly tag: string;
  readonly campaignIds: readonly number[];
  readonly transaction: Transaction;
}

async function insertRange(sequelize: Sequelize, run: Run, day: DayPlan, from: number, to: number): Promise<void> {
  await sequelize.query(INSERT_ROWS.replace('%OFFSETS%', offsetsSql(to - from)), {
    transaction: run.transaction,
    replacements: {
      requestPrefix: `seed-${run.tag}-`,
      campaigns: run.campaignIds.length,
      campaignIds: run.campaignIds,
      firstCampaign: Math.min(...run.campaignIds),
      dayStart: sqlDateTime(day.window.start),
      dayMs: day.window.end.getTime() - day.window.start.getTime(),
      dayFirst: day.first,
      dayRows: day.count,
      from,
      to,
    },
  });
}

async function insertHistory(sequelize: Sequelize, run: Run, plan: readonly DayPlan[]): Promise<void> {
  for (const day of plan) {
    const end = day.first + day.count;
    for (let from = day.first; from < end; from += CHUNK_ROWS) {
      await insertRange(sequelize, run, day, from, Math.min(from + CHUNK_ROWS, end));
    }
  }
}

/** The campaigns start empty and sold out; `settleCampaigns` gives them their counts. */
async function createCampaigns(sequelize: Sequelize, tag: string, count: number, span: { start: Date; end: Date }, transaction: Transaction): Promise<number[]> {
  const names = Array.from({ length: count }, (_, k) => `seed ${tag} #${k + 1}`);
  const [start, end] = [sqlDateTime(span.start), sqlDateTime(span.end)];
  await sequelize.query(
    `INSERT INTO campaigns (name, total_stock, current_stock, starts_at, ends_at, created_at) VALUES ${names.map(() => '(?, 0, 0, ?, ?, ?)').join(', ')}`,
    { transaction, replacements: names.flatMap((name) => [name, start, end, start]) },
  );
  // Looked up by name: auto-increment ids of one multi-row insert need not be consecutive.
  const rows = await sequelize.query<{ id: number | string; name: string }>('SELECT id, name FROM campaigns WHERE name IN (:names)', {
    transaction,
    replacements: { names },
    type: QueryTypes.SELECT,
  });
  const idOf = new Map(rows.map((r) => [r.name, Number(r.id)]));
  return names.map((name) => {
    const id = idOf.get(name);
    if (id === undefined) throw new Error(`campaign ${name} was not created`);
    return id;
  });
}

/**
 * Counters from the rows themselves, as the consumer would have left them: the stock is exactly
 * what the winners took (there are SOLD_OUT rows, so it ran out), every row was accepted into the
 * log and resolved, nothing is pending.
 */
async function settleCampaigns(sequelize: Sequelize, campaignIds: readonly number[], transaction: Transaction): Promise<void> {
  // A plain read, then updates by id: as UPDATE … JOIN the same read would lock every row it
  // counts, several times slower.
  const counts = await sequelize.query<{ campaign_id: number; total: number; success: number; sold_out: number; duplicate: number }>(
    `SELECT campaign_id, COUNT(*) AS total, SUM(status = 'SUCCESS') AS success,
            SUM(status = 'SOLD_OUT') AS sold_out, SUM(status = 'DUPLICATE') AS duplicate
     FROM participations WHERE campaign_id IN (:campaignIds) GROUP BY campaign_id`,
    { transaction, replacements: { campaignIds }, type: QueryTypes.SELECT },
  );
  for (const c of counts) {
    await sequelize.query(
      `UPDATE campaigns SET success_count = :success, sold_out_count = :sold_out, duplicate_count = :duplicate,
         log_resolved_count = :total, total_stock = :success, current_stock = 0
       WHERE id = :campaign_id`,
      { transaction, replacements: { ...c } },
    );
  }
  await sequelize.query(
    'INSERT INTO campaign_accepts (campaign_id, accepted) SELECT id, log_resolved_count FROM campaigns WHERE id IN (:campaignIds)',
    { transaction, replacements: { campaignIds } },
  );
  // Every seeded win where the deciders look for earlier winners (each seeded row has a user of its own).
  await sequelize.query(
    `INSERT INTO campaign_winners (campaign_id, user_id, request_id)
     SELECT campaign_id, user_id, request_id FROM participations WHERE campaign_id IN (:campaignIds) AND status = 'SUCCESS'`,
    { transaction, replacements: { campaignIds } },
  );
}

export async function seedData(sequelize: Sequelize, options: SeedOptions): Promise<SeedResult> {
  assertValid(options);
  const started = performance.now();
  const plan = planDays(options);
  const first = plan[0];
  const last = plan[plan.length - 1];
  if (first === undefined || last === undefined) throw new RangeError('no days to seed');
  const tag = randomBytes(6).toString('hex');
  const campaignIds = await sequelize.transaction(async (transaction) => {
    const ids = await createCampaigns(sequelize, tag, options.campaigns, { start: first.window.start, end: last.window.end }, transaction);
    await insertHistory(sequelize, { tag, campaignIds: ids, transaction }, plan);
    await settleCampaigns(sequelize, ids, transaction);
    return ids;
  });
  return {
    campaignIds,
    rows: options.rows,
    firstDate: first.window.date,
    lastDate: last.window.date,
    seconds: (performance.now() - started) / 1000,
  };
}

// --- command line ------------------------------------------------------------------------------

class UsageError extends Error {}

const FLAGS = ['campaigns', 'days', 'rows', 'time-zone', 'end-date'] as const;
type Flag = (typeof FLAGS)[number];

const USAGE = 'usage: node --import tsx scripts/seed-data.ts [--campaigns N] [--days N] [--rows N] [--time-zone ZONE] [--end-date YYYY-MM-DD]';

/** `--name value` or `--name=value`; a value may start with a dash so that `--rows -5` reads as a bad count. */
function readFlags(argv: readonly string[]): Map<Flag, string> {
  const flags = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    const flag = FLAGS.find((f) => f === match?.[1]);
    if (match === null || flag === undefined) throw new UsageError(`unknown argument: ${arg}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${flag} needs a value`);
    flags.set(flag, value);
  }
  return flags;
}

function readCount(flags: ReadonlyMap<Flag, string>, name: Count, fallback: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const problem = rangeProblem(name, value);
  if (problem !== undefined) throw new UsageError(`--${name} ${problem} (got ${JSON.stringify(raw)})`);
  return value;
}

function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv, now: Date): SeedOptions {
  const flags = readFlags(argv);
  const zoneFlag = flags.get('time-zone');
  const timeZone = zoneFlag ?? (env.STATS_TIME_ZONE || 'UTC');
  if (!isValidTimeZone(timeZone)) {
    throw new UsageError(`${zoneFlag === undefined ? 'STATS_TIME_ZONE' : '--time-zone'} is not a known IANA time zone (got ${JSON.stringify(timeZone)})`);
  }
  const endDate = flags.get('end-date') ?? yesterdayIn(now, timeZone);
  if (!isIsoDate(endDate)) throw new UsageError(`--end-date must be a calendar date YYYY-MM-DD (got ${JSON.stringify(endDate)})`);
  return {
    campaigns: readCount(flags, 'campaigns', 10),
    days: readCount(flags, 'days', 30),
    rows: readCount(flags, 'rows', 1_000_000),
    timeZone,
    endDate,
  };
}

function summary(result: SeedResult, timeZone: string): string {
  const ids = result.campaignIds;
  const rate = Math.round(result.rows / result.seconds);
  return (
    `seeded ${result.rows} rows into ${ids.length} campaigns (ids ${Math.min(...ids)}..${Math.max(...ids)}), ` +
    `${result.firstDate}..${result.lastDate} ${timeZone}, in ${result.seconds.toFixed(1)} s (${rate} rows/s)`
  );
}

async function main(argv: readonly string[]): Promise<void> {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let options: SeedOptions;
  try {
    options = parseArguments(argv, process.env, new Date());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const sequelize = createSequelize(configOrExit(() => loadConfig(dbConfigShape)));
  try {
    await migrateUp(sequelize);
    process.stdout.write(`${summary(await seedData(sequelize, options), options.timeZone)}\n`);
  } finally {
    await sequelize.close();
  }
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  await main(process.argv.slice(2));
}
