import { publishBacklog } from './publish.js';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createConnection } from 'mysql2/promise';
import { QueryTypes } from 'sequelize';
import { timeOrderedId } from '../services/platform/request-id.js';
import { seedData } from '../scripts/seed-data.js';
import { startTestConsumer } from '../test/integration/support/consumer.js';
import { createTestDatabase, type TestDatabase } from '../test/integration/support/database.js';
import { deleteTopics, uniqueTopic } from '../test/integration/support/kafka.js';
import { waitFor } from '../test/integration/support/process.js';
import { mean } from './mean.js';
import { treeCpuSec, treeRssBytes } from './proc-cpu.js';

/**
 * The decider at a realistic size: a backlog of BENCH_BACKLOG participations over ten campaigns
 * (stock 50,000 each, a fifth of the entries from a user who came before, so DUPLICATE and
 * SOLD_OUT are decided too), published while no consumer runs, then decided by the real consumer
 * from its start: once on an empty history, once on one of BENCH_HISTORY_ROWS rows. Beside it,
 * the floor: the same rows loaded with LOAD DATA LOCAL INFILE into a table with only a primary
 * key, one transaction per 5,000 rows (the consumer's batch), before and after the two drains.
 */

const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1_000_000);
const HISTORY_ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 10_000_000);
/** uuid4 (the default): random ids, as clients that send their own do (the k6 scripts); uuid7: what the API makes for a request without one (platform/request-id.ts). */
const REQUEST_IDS = process.env.BENCH_REQUEST_IDS ?? 'uuid4';
const CAMPAIGNS = 10;
const STOCK = 50_000;
/** Far above any id seedData or a test gives out: both databases carry the backlog's campaigns under the same ids. */
const FIRST_CAMPAIGN_ID = 1_000_001;
const FLOOR_BATCH = 5_000;
/** Entries accepted per millisecond in the generated backlog: a rush of 100,000/s. */
const PER_MS = 100;

export interface Drain {
  historyRows: number;
  seedSeconds: number;
  /** From the consumer's spawn to the commit of the backlog's last entry. */
  drainSeconds: number;
  /** From the first commit to the last: the rate once the consumer is running. */
  decisionsPerSec: number;
  dbCpuSecPer1000: number;
  consumerCpuSecPer1000: number;
  dbRssBytes: number;
  /** Data and indexes of the database's tables after the drain (InnoDB's own estimate). */
  tableBytes: number;
  verdicts: Record<string, number>;
}

export interface Floor {
  rowsPerSec: number;
  dbCpuSecPer1000: number;
}

export interface BacklogFigures {
  backlog: number;
  requestIds: string;
  publishSeconds: number;
  drains: Drain[];
  floors: Floor[];
  floorRowsPerSec: number;
  floorCpuSecPer1000: number;
}

/** Entry n: campaign n mod 10; within its campaign, every fifth entry is the user of two entries before (users scattered over 2^32). */
function userOf(n: number): number {
  const member = Math.floor(n / CAMPAIGNS);
  const first = member % 5 === 4 ? member - 2 : member;
  return (Math.imul(first + 1, 0x9e3779b1) >>> 0) + 1;
}

/** Each campaign's distinct users (a fifth of its entries are repeats), up to its stock. */
function expectedWins(): number {
  let wins = 0;
  for (let c = 0; c < CAMPAIGNS; c++) {
    const entries = BACKLOG > c ? Math.floor((BACKLOG - c - 1) / CAMPAIGNS) + 1 : 0;
    wins += Math.min(STOCK, entries - Math.floor(entries / 5));
  }
  return wins;
}

/** The pid of the stack's MariaDB (scripts/mariadb.sh writes it), for its CPU time; undefined when it cannot be read. */
function mariadbPid(): number | undefined {
  try {
    const pid = Number(readFileSync(join(process.env.LOCAL_STACK_DIR ?? '.local', 'mariadb', 'mariadb.pid'), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const dbCpu = (pid: number | undefined) => (pid === undefined ? Number.NaN : treeCpuSec(pid));

/** The backlog's entries, accepted PER_MS a millisecond from now on; returns the seconds publishing took. */
async function publishEntries(topic: string): Promise<number> {
  const started = performance.now();
  const firstMs = Date.now();
  await publishBacklog(topic, BACKLOG, (n) => {
    const ms = firstMs + Math.floor(n / PER_MS);
    const requestId = REQUEST_IDS === 'uuid7' ? timeOrderedId(ms) : randomUUID();
    return { v: 1, requestId, campaignId: FIRST_CAMPAIGN_ID + (n % CAMPAIGNS), userId: userOf(n), acceptedAt: new Date(ms).toISOString() };
  });
  return (performance.now() - started) / 1000;
}

async function createBacklogCampaigns(db: TestDatabase): Promise<void> {
  const values = Array.from({ length: CAMPAIGNS }, (_, i) => `(${FIRST_CAMPAIGN_ID + i}, 'backlog-${i}', ${STOCK}, ${STOCK})`).join(', ');
  await db.sequelize.query(`INSERT INTO campaigns (id, name, total_stock, current_stock) VALUES ${values}`);
}

async function drain(db: TestDatabase, topic: string, historyRows: number, seedSeconds: number, log: (msg: string) => void): Promise<Drain> {
  const pid = mariadbPid();
  const offset = async () =>
    Number((await db.sequelize.query<{ n: number | string }>('SELECT next_offset AS n FROM consumer_offsets WHERE topic = ?', { replacements: [topic], type: QueryTypes.SELECT }))[0]?.n ?? 0);
  const spawned = performance.now();
  const decider = await startTestConsumer(db.config, topic, { LOG_LEVEL: 'warn' });
  // CPU is counted from the first commit to the last, like the rate: the consumer's start (tsx
  // compiling the sources) is no part of deciding
  const consumerCpu = () => (decider.child.pid === undefined ? Number.NaN : treeCpuSec(decider.child.pid));
  let firstCommit = 0;
  let firstOffset = 0;
  let cpuAtFirst = { db: 0, consumer: 0 };
  let cpu = { db: 0, consumer: 0 };
  let done = 0;
  let rss = 0;
  try {
    await waitFor('first commit', async () => {
      const n = await offset();
      if (n > 0 && firstCommit === 0) {
        firstCommit = performance.now();
        firstOffset = n;
        cpuAtFirst = { db: dbCpu(pid), consumer: consumerCpu() };
      }
      return n > 0;
    }, 600_000);
    await waitFor('backlog decided', async () => (await offset()) >= BACKLOG, 1_800_000);
    done = performance.now();
    cpu = { db: dbCpu(pid) - cpuAtFirst.db, consumer: consumerCpu() - cpuAtFirst.consumer };
    rss = pid === undefined ? Number.NaN : treeRssBytes(pid);
  } catch (err) {
    log(`the consumer's last output:\n${decider.output().slice(-3000)}`);
    throw err;
  } finally {
    await decider.stop();
  }
  const rows = await db.sequelize.query<{ status: string; n: number | string }>(
    'SELECT status, COUNT(*) AS n FROM participations WHERE campaign_id BETWEEN ? AND ? GROUP BY status',
    { replacements: [FIRST_CAMPAIGN_ID, FIRST_CAMPAIGN_ID + CAMPAIGNS - 1], type: QueryTypes.SELECT },
  );
  const verdicts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const [size] = await db.sequelize.query<{ bytes: number | string | null }>(
    'SELECT SUM(data_length + index_length) AS bytes FROM information_schema.tables WHERE table_schema = DATABASE()',
    { type: QueryTypes.SELECT },
  );
  const decided = Object.values(verdicts).reduce((a, b) => a + b, 0);
  if (decided !== BACKLOG) throw new Error(`expected ${BACKLOG} decisions, found ${decided}`);
  if (verdicts.SUCCESS !== expectedWins()) throw new Error(`expected ${expectedWins()} wins, found ${verdicts.SUCCESS ?? 0}`);
  const d: Drain = {
    historyRows,
    seedSeconds,
    drainSeconds: (done - spawned) / 1000,
    decisionsPerSec: ((BACKLOG - firstOffset) * 1000) / (done - firstCommit),
    dbCpuSecPer1000: (cpu.db * 1000) / (BACKLOG - firstOffset),
    consumerCpuSecPer1000: (cpu.consumer * 1000) / (BACKLOG - firstOffset),
    dbRssBytes: rss,
    tableBytes: Number(size?.bytes ?? 0),
    verdicts,
  };
  log(`backlog on ${historyRows.toLocaleString()} history rows: ${Math.round(d.decisionsPerSec)} decisions/s, drained in ${d.drainSeconds.toFixed(1)} s`);
  return d;
}

/**
 * A history loaded a moment ago is gigabytes of dirty pages, which InnoDB writes out at its
 * background pace (innodb_io_capacity, 200 pages/s by default) for many minutes, and every commit
 * of the drain would wait on that flushing: a week-old history has long been written out. So the
 * pages are flushed before the drain, the server's dirty-page target at 0 and its I/O capacity
 * raised meanwhile, all three put back afterwards.
 */
async function flushDirtyPages(db: TestDatabase, log: (msg: string) => void): Promise<void> {
  const q = db.sequelize;
  const dirty = async () => Number((await q.query<{ Value: string }>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_pages_dirty'", { type: QueryTypes.SELECT }))[0]?.Value ?? 0);
  const [before] = await q.query<{ pct: number | string; io: number | string; ioMax: number | string }>(
    'SELECT @@GLOBAL.innodb_max_dirty_pages_pct AS pct, @@GLOBAL.innodb_io_capacity AS io, @@GLOBAL.innodb_io_capacity_max AS ioMax',
    { type: QueryTypes.SELECT },
  );
  if (before === undefined) throw new Error('no server settings read');
  const started = performance.now();
  await q.query('SET GLOBAL innodb_io_capacity_max = 40000, innodb_io_capacity = 20000, innodb_max_dirty_pages_pct = 0');
  try {
    await waitFor('dirty pages written out', async () => (await dirty()) < 1_000, 1_800_000, 1_000);
  } finally {
    await q.query('SET GLOBAL innodb_max_dirty_pages_pct = ?, innodb_io_capacity = ?, innodb_io_capacity_max = ?', {
      replacements: [Number(before.pct), Number(before.io), Number(before.ioMax)],
    });
  }
  log(`backlog: dirty pages written out in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** LOAD DATA of the decided rows into a primary-key-only table, one statement and transaction per batch. */
async function floor(db: TestDatabase, chunks: readonly Buffer[], log: (msg: string) => void): Promise<Floor> {
  const c = db.config;
  const conn = await createConnection({ host: c.DB_HOST, port: c.DB_PORT, user: c.DB_USER, password: c.DB_PASSWORD, database: c.DB_NAME, flags: ['+LOCAL_FILES'] });
  try {
    await conn.query('DROP TABLE IF EXISTS floor_rows');
    await conn.query(`CREATE TABLE floor_rows (
      log_offset BIGINT NOT NULL PRIMARY KEY,
      request_id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
      campaign_id BIGINT UNSIGNED NOT NULL,
      user_id BIGINT UNSIGNED NOT NULL,
      status ENUM('SUCCESS','SOLD_OUT','DUPLICATE') NOT NULL,
      accepted_at DATETIME(3) NOT NULL,
      decided_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB`);
    const pid = mariadbPid();
    const cpuBefore = dbCpu(pid);
    const started = performance.now();
    let rows = 0;
    for (const chunk of chunks) {
      const [result] = await conn.query({ sql: "LOAD DATA LOCAL INFILE 'rows' INTO TABLE floor_rows", infileStreamFactory: () => Readable.from([chunk]) });
      rows += 'affectedRows' in result ? result.affectedRows : 0;
    }
    const seconds = (performance.now() - started) / 1000;
    if (rows !== BACKLOG) throw new Error(`floor loaded ${rows} rows, expected ${BACKLOG}`);
    const f = { rowsPerSec: rows / seconds, dbCpuSecPer1000: ((dbCpu(pid) - cpuBefore) * 1000) / rows };
    log(`floor: ${Math.round(f.rowsPerSec)} rows/s`);
    return f;
  } finally {
    await conn.end();
  }
}

/** The decided backlog as LOAD DATA input (tab-separated, in log order), cut into the consumer's batches. */
async function floorInput(db: TestDatabase): Promise<Buffer[]> {
  const rows = await db.sequelize.query<{ line: string }>(
    `SELECT CONCAT_WS('\t', log_offset, request_id, campaign_id, user_id, status, CAST(accepted_at AS CHAR), CAST(decided_at AS CHAR)) AS line
     FROM participations WHERE campaign_id BETWEEN ? AND ? ORDER BY log_offset`,
    { replacements: [FIRST_CAMPAIGN_ID, FIRST_CAMPAIGN_ID + CAMPAIGNS - 1], type: QueryTypes.SELECT },
  );
  const chunks: Buffer[] = [];
  for (let i = 0; i < rows.length; i += FLOOR_BATCH) chunks.push(Buffer.from(`${rows.slice(i, i + FLOOR_BATCH).map((r) => r.line).join('\n')}\n`));
  return chunks;
}

export async function benchBacklog(log: (msg: string) => void): Promise<BacklogFigures> {
  const topic = uniqueTopic('bench-backlog-1m');
  const empty = await createTestDatabase();
  let history: TestDatabase | undefined;
  try {
    log(`backlog: publishing ${BACKLOG.toLocaleString()} participations over ${CAMPAIGNS} campaigns (${REQUEST_IDS} request ids)`);
    const publishSeconds = await publishEntries(topic);
    log(`backlog: published in ${publishSeconds.toFixed(1)} s`);
    await createBacklogCampaigns(empty);
    const drains = [await drain(empty, topic, 0, 0, log)];
    const input = await floorInput(empty);
    const floors = [await floor(empty, input, log)];

    if (HISTORY_ROWS > 0) {
      history = await createTestDatabase();
      await createBacklogCampaigns(history);
      log(`backlog: seeding ${HISTORY_ROWS.toLocaleString()} history rows`);
      const seeded = await seedData(history.sequelize, { campaigns: 10, days: 30, rows: HISTORY_ROWS, timeZone: 'UTC', endDate: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10) });
      log(`backlog: seeded in ${seeded.seconds.toFixed(1)} s`);
      await flushDirtyPages(history, log);
      drains.push(await drain(history, topic, HISTORY_ROWS, seeded.seconds, log));
      floors.push(await floor(empty, input, log));
    }
    return {
      backlog: BACKLOG,
      requestIds: REQUEST_IDS,
      publishSeconds,
      drains,
      floors,
      floorRowsPerSec: mean(floors, (f) => f.rowsPerSec),
      floorCpuSecPer1000: mean(floors, (f) => f.dbCpuSecPer1000),
    };
  } finally {
    await empty.drop();
    await history?.drop();
    await deleteTopics([topic]);
  }
}
