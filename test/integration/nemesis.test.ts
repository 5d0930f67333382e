import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { QueryTypes } from 'sequelize';
import { startTestApiProcess, type TestApiProcess } from './support/api.js';
import { startTestConsumer, type TestConsumer } from './support/consumer.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { describeFault, faultSchedule, seededRandom, type Fault, type FaultTarget } from './support/fault-schedule.js';
import { checkHistory, type Answer, type Attempt } from './support/history-check.js';
import { readDatabase, readDeadLetterCopies, readLog } from './support/history.js';
import { dataOf, request, type JsonResponse } from './support/http.js';
import { startOwnBroker, type OwnBroker } from './support/own-broker.js';
import { startOwnDatabaseServer, type OwnDatabaseServer } from './support/own-database.js';
import { freePort, waitFor } from './support/process.js';

/** Seconds within which faults start; NEMESIS_SECONDS=600 for a long run. */
const SECONDS = Number(process.env.NEMESIS_SECONDS ?? 90);
/** NEMESIS_SEED replays a run's schedule, and seeds the clients' choices (their interleaving is the machine's). */
const SEED = process.env.NEMESIS_SEED === undefined ? randomInt(2 ** 31) : Number(process.env.NEMESIS_SEED);
const TOPIC = 'campaign-participation';
const KAFKA_CLIENTS = 10;
const SYNC_CLIENTS = 3;
/** Above the API's produce timeout, so that an unanswered request means a frozen or dead process. */
const REQUEST_TIMEOUT_MS = 5_000;
const PRODUCE_TIMEOUT_MS = 2_000;
const RECOVERY_TIMEOUT_MS = 120_000;
const CONSUMER_SESSION_TIMEOUT_MS = 6_000;
/** One that sells out at once (short-circuits), one that sells out under the faults, one that never does. */
const KAFKA_CAMPAIGNS = [
  { name: 'scarce', stock: 200, users: 2_000, weight: 3 },
  { name: 'contested', stock: 4_000, users: 15_000, weight: 4 },
  { name: 'plenty', stock: 1_000_000, users: 3_000, weight: 3 },
] as const;
const SYNC_CAMPAIGN = { name: 'sync', stock: 300, users: 1_000 } as const;

interface Sent extends Attempt {
  readonly sentAt: number;
  readonly answeredAt: number;
}

/** Recovery times, counted from when the process was let go again: SIGCONT sent, or the restart begun. */
interface Survived {
  readonly fault: Fault;
  readonly restartMs: number | undefined;
  readonly decisionMs: number;
  readonly acceptMs: number;
}

/** A process is gone once it no longer exists or is a zombie nobody reaped yet. */
async function gone(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function kafkaAnswer(res: JsonResponse): Answer {
  const data = res.body.data as { status?: unknown; sequence?: unknown; mayHaveBeenRecorded?: unknown } | null;
  if (res.status === 202 && typeof data?.sequence === 'number') return { kind: 'accepted', sequence: data.sequence };
  if (res.status === 200 && (data?.status === 'SOLD_OUT' || data?.status === 'DUPLICATE')) return { kind: 'short-circuit', status: data.status };
  if (res.status === 503 && res.body.errorCode === 'BROKER_UNAVAILABLE' && typeof data?.mayHaveBeenRecorded === 'boolean') {
    return data.mayHaveBeenRecorded ? { kind: 'unknown', why: '503 may have been recorded' } : { kind: 'not-recorded' };
  }
  // only for a campaign the process has not read yet (a restarted API), before anything is sent
  if (res.status === 503 && res.body.errorCode === 'DATABASE_UNAVAILABLE') return { kind: 'not-recorded' };
  return { kind: 'unexpected', why: `${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
}

function syncAnswer(res: JsonResponse): Answer {
  const status = (res.body.data as { status?: unknown } | null)?.status;
  if (res.status === 200 && (status === 'SUCCESS' || status === 'SOLD_OUT' || status === 'DUPLICATE')) return { kind: 'decided', status };
  // the transaction may have committed with its answer lost on the way back
  if (res.status === 503) return { kind: 'unknown', why: `503 ${res.body.errorCode ?? ''}` };
  return { kind: 'unexpected', why: `${res.status} ${JSON.stringify(res.body).slice(0, 300)}` };
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

describe('nemesis: consumer, broker, database and API killed and frozen under load', () => {
  let server: OwnDatabaseServer | undefined;
  let db: TestDatabase | undefined;
  let broker: OwnBroker | undefined;
  let api: TestApiProcess | undefined;
  let consumer: TestConsumer | undefined;
  let apiPort = 0;
  /** Every process a fault may have frozen, so that teardown can thaw it before stopping it. */
  const frozen = new Set<number>();

  const startApi = async () => {
    if (!db || !broker) throw new Error('no database or broker');
    api = await startTestApiProcess(db.config, TOPIC, apiPort, { KAFKA_BROKERS: broker.brokers, PRODUCE_TIMEOUT_MS: String(PRODUCE_TIMEOUT_MS) });
  };
  const startConsumer = async () => {
    if (!db || !broker) throw new Error('no database or broker');
    consumer = await startTestConsumer(db.config, TOPIC, {
      KAFKA_BROKERS: broker.brokers,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      CONSUMER_DEAD_LETTER_DRAIN_INTERVAL_MS: '1000',
      // the shortest session allowed, so that the longer pauses outlast it: the group moves on
      // without the frozen consumer, which must rejoin, not commit as a zombie
      CONSUMER_SESSION_TIMEOUT_MS: String(CONSUMER_SESSION_TIMEOUT_MS),
    });
  };

  before(async () => {
    server = await startOwnDatabaseServer();
    db = await createTestDatabase({ server: server.server });
    broker = await startOwnBroker();
    apiPort = await freePort();
    await startApi();
    await startConsumer();
  });

  after(async () => {
    for (const pid of frozen) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    consumer?.child.kill('SIGTERM');
    api?.child.kill('SIGTERM');
    await Promise.all([consumer?.exited(), api?.exited()]);
    await db?.drop().catch(() => undefined);
    await broker?.destroy();
    await server?.destroy();
  });

  it(`keeps every promise through ${SECONDS} s of faults (seed ${SEED})`, async () => {
    if (!db || !broker || !server || !api) throw new Error('setup failed');
    const sequelize = db.sequelize;
    const url = api.url;
    const kafka = new Kafka({ clientId: 'nemesis', brokers: [broker.brokers], logLevel: logLevel.NOTHING });
    const schedule = faultSchedule(SEED, { durationMs: SECONDS * 1000, outageMs: { min: 2_000, max: CONSUMER_SESSION_TIMEOUT_MS + 3_000 }, gapMs: { min: 3_000, max: 6_000 } });
    console.log(`# nemesis seed ${SEED} (NEMESIS_SEED=${SEED} NEMESIS_SECONDS=${SECONDS} replays it), ${schedule.length} faults:`);
    for (const f of schedule) console.log(`#   ${describeFault(f)}`);

    const create = async (name: string, totalStock: number) => dataOf(await request(`${url}/api/admin/campaigns`, { body: { name, totalStock } })).id as number;
    const kafkaCampaigns: ((typeof KAFKA_CAMPAIGNS)[number] & { id: number })[] = [];
    for (const c of KAFKA_CAMPAIGNS) kafkaCampaigns.push({ ...c, id: await create(c.name, c.stock) });
    const syncCampaign = { ...SYNC_CAMPAIGN, id: await create(SYNC_CAMPAIGN.name, SYNC_CAMPAIGN.stock) };

    const attempts: Sent[] = [];
    let stopping = false;
    const send = async (path: 'kafka' | 'sync', requestId: string, campaignId: number, userId: number): Promise<Answer> => {
      const sentAt = performance.now();
      const route = path === 'kafka' ? 'participation' : 'participation-sync';
      let answer: Answer;
      try {
        const res = await request(`${url}/api/campaigns/${campaignId}/${route}`, { body: { userId, requestId }, timeoutMs: REQUEST_TIMEOUT_MS });
        answer = path === 'kafka' ? kafkaAnswer(res) : syncAnswer(res);
      } catch (err) {
        // a timeout, a refused or cut connection: the API was frozen, dead or restarting
        answer = { kind: 'unknown', why: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
      }
      attempts.push({ path, requestId, campaignId, userId, answer, sentAt, answeredAt: performance.now() });
      return answer;
    };
    /** Until answered for sure, with the same requestId, as a client told to retry does. */
    const until = async (random: () => number, path: 'kafka' | 'sync', requestId: string, campaignId: number, userId: number) => {
      for (let tries = 0; tries < 30; tries++) {
        const answer = await send(path, requestId, campaignId, userId);
        if (answer.kind !== 'unknown' && answer.kind !== 'not-recorded') return answer;
        if (stopping) return answer;
        await delay(200 + random() * 500);
      }
      return undefined;
    };

    const accepted: { requestId: string; campaignId: number; userId: number }[] = [];
    const kafkaClient = async (client: number) => {
      const random = seededRandom(SEED + 1 + client);
      const totalWeight = kafkaCampaigns.reduce((s, c) => s + c.weight, 0);
      for (let n = 0; !stopping; n++) {
        let pick = random() * totalWeight;
        const campaign = kafkaCampaigns.find((c) => (pick -= c.weight) < 0) ?? kafkaCampaigns[0];
        if (!campaign) throw new Error('no campaign');
        let requestId = `k${client}-${n}`;
        let userId = 1 + Math.floor(random() * campaign.users);
        const earlier = accepted[Math.floor(random() * accepted.length)];
        if (earlier !== undefined && earlier.campaignId === campaign.id && random() < 0.01) {
          // a client bug: another user's requestId, which the consumer must refuse visibly
          requestId = earlier.requestId;
          userId = (earlier.userId % campaign.users) + 1;
        }
        const answer = await until(random, 'kafka', requestId, campaign.id, userId);
        if (answer?.kind === 'accepted') accepted.push({ requestId, campaignId: campaign.id, userId });
        // the answer lost on the client's side: the same request again, which must not be decided twice
        if (answer?.kind === 'accepted' && random() < 0.03) await send('kafka', requestId, campaign.id, userId);
        await delay(10 + random() * 20);
      }
    };
    const syncClient = async (client: number) => {
      const random = seededRandom(SEED + 1_000 + client);
      for (let n = 0; !stopping; n++) {
        await until(random, 'sync', `s${client}-${n}`, syncCampaign.id, 1 + Math.floor(random() * syncCampaign.users));
        await delay(20 + random() * 40);
      }
    };
    /** Records that can never be decided, straight onto the log: poison, and a campaign that does not exist. */
    const poisoner = async () => {
      const random = seededRandom(SEED + 2_000);
      const producer = kafka.producer({ retry: { retries: 2 } });
      await producer.connect();
      try {
        for (let n = 0; !stopping; n++) {
          const value =
            n % 3 === 2
              ? JSON.stringify({ v: 1, requestId: `ghost-${n}`, campaignId: 999_999, userId: 1, acceptedAt: new Date().toISOString() })
              : `not a participation ${n}`;
          // unacknowledged sends may or may not be in the log; the checker reads what is
          await producer.send({ topic: TOPIC, acks: -1, timeout: 3_000, messages: [{ partition: 0, value }] }).catch(() => undefined);
          await delay(1_500 + random() * 2_000);
        }
      } finally {
        await producer.disconnect();
      }
    };

    /** The consumer's stored offset over time: when decisions were committed. */
    const progress: { at: number; offset: number }[] = [];
    const monitor = async () => {
      while (!stopping) {
        try {
          const [row] = await sequelize.query<{ next_offset: number }>('SELECT next_offset FROM consumer_offsets WHERE topic = ?', { replacements: [TOPIC], type: QueryTypes.SELECT });
          const offset = row?.next_offset ?? 0;
          if (offset !== progress.at(-1)?.offset) progress.push({ at: performance.now(), offset });
        } catch {
          // the database is down: that is what is being measured
        }
        await delay(100);
      }
    };

    const load = [...Array.from({ length: KAFKA_CLIENTS }, (_, i) => kafkaClient(i)), ...Array.from({ length: SYNC_CLIENTS }, (_, i) => syncClient(i)), poisoner(), monitor()];
    const ownBroker = broker;
    const ownServer = server;
    const processes: Record<FaultTarget, { pid: () => Promise<number>; restart: () => Promise<void> }> = {
      consumer: { pid: () => Promise.resolve(consumer?.child.pid ?? 0), restart: startConsumer },
      api: { pid: () => Promise.resolve(api?.child.pid ?? 0), restart: startApi },
      broker: { pid: () => ownBroker.pid(), restart: () => ownBroker.start() },
      database: { pid: () => ownServer.pid(), restart: () => ownServer.start() },
    };

    const survived: Survived[] = [];
    try {
      await waitFor('the load under way', () => Promise.resolve(attempts.filter((a) => a.answer.kind === 'accepted').length > 200), 60_000);
      const t0 = performance.now();
      let quietFrom = t0;
      for (const fault of schedule) {
        // on schedule, but never before the previous fault has been recovered from
        await delay(Math.max(0, t0 + fault.atMs - performance.now(), quietFrom + 2_000 - performance.now()));
        const target = processes[fault.target];
        const pid = await target.pid();
        assert.ok(pid > 0, `${fault.target} has a process`);
        let restartMs: number | undefined;
        let endedAt: number;
        if (fault.kind === 'pause') {
          frozen.add(pid);
          process.kill(pid, 'SIGSTOP');
          // the outage lasts a fixed time by design; the load runs through it
          await delay(fault.outageMs);
          process.kill(pid, 'SIGCONT');
          frozen.delete(pid);
          endedAt = performance.now();
        } else {
          process.kill(pid, 'SIGKILL');
          await waitFor(`${fault.target} ${pid} gone`, () => gone(pid), 10_000, 20);
          await delay(fault.outageMs);
          endedAt = performance.now();
          await target.restart();
          restartMs = performance.now() - endedAt;
        }
        const offsetAtEnd = [...progress].reverse().find((p) => p.at <= endedAt)?.offset ?? 0;
        const decided = () => progress.find((p) => p.at > endedAt && p.offset > offsetAtEnd);
        const acceptedAgain = () => attempts.find((a) => a.path === 'kafka' && a.sentAt > endedAt && a.answer.kind === 'accepted');
        await waitFor(`decisions after ${describeFault(fault)}`, () => Promise.resolve(decided() !== undefined), RECOVERY_TIMEOUT_MS);
        await waitFor(`a 202 after ${describeFault(fault)}`, () => Promise.resolve(acceptedAgain() !== undefined), RECOVERY_TIMEOUT_MS);
        const decisionMs = (decided()?.at ?? endedAt) - endedAt;
        const acceptMs = (acceptedAgain()?.answeredAt ?? endedAt) - endedAt;
        survived.push({ fault, restartMs, decisionMs, acceptMs });
        console.log(`# survived ${describeFault(fault)}: restart ${seconds(restartMs)}, next decision ${seconds(decisionMs)}, next 202 ${seconds(acceptMs)} after it ended`);
        quietFrom = performance.now();
      }
    } finally {
      stopping = true;
      await Promise.all(load);
    }
    const stoppedAt = performance.now();

    // Settled: the consumer at the end of the log, every dead letter copied.
    const admin = kafka.admin();
    await admin.connect();
    const [end] = await admin.fetchTopicOffsets(TOPIC);
    await admin.disconnect();
    const logEnd = Number(end?.high);
    const count = async (sql: string) => (await sequelize.query<{ n: number }>(sql, { replacements: [TOPIC], type: QueryTypes.SELECT }))[0]?.n;
    await waitFor(`the consumer at the end of the log (${logEnd})`, async () => (await count('SELECT next_offset AS n FROM consumer_offsets WHERE topic = ?')) === logEnd, RECOVERY_TIMEOUT_MS, 500);
    await waitFor('every dead letter copied', async () => (await count('SELECT COUNT(*) AS n FROM dead_letters WHERE topic = ? AND published_at IS NULL')) === 0, RECOVERY_TIMEOUT_MS, 500);
    const settledMs = performance.now() - stoppedAt;

    // What a client asking afterwards is told, for every request whose attempts left it open and a sample of the rest.
    const open = new Set(attempts.filter((a) => a.answer.kind === 'unknown' || a.answer.kind === 'not-recorded').map((a) => a.requestId));
    const sample = [...new Set(attempts.map((a) => a.requestId))].filter((id, i) => open.has(id) || i % 50 === 0);
    const lookups: { requestId: string; status: string }[] = [];
    for (let i = 0; i < sample.length; i += 20) {
      await Promise.all(
        sample.slice(i, i + 20).map(async (requestId) => {
          const res = await request(`${url}/api/participations/${requestId}`);
          const status = res.status === 200 ? String(dataOf(res).status) : res.status === 404 ? 'NOT_FOUND' : `${res.status} ${res.body.errorCode ?? ''}`;
          lookups.push({ requestId, status });
        }),
      );
    }

    const history = {
      log: await readLog(kafka, TOPIC),
      deadLetterCopies: await readDeadLetterCopies(kafka, TOPIC),
      ...(await readDatabase(sequelize, TOPIC)),
      attempts,
      lookups,
    };
    const { violations, replay } = checkHistory(history);

    const kinds = new Map<string, number>();
    for (const a of attempts) kinds.set(`${a.path} ${a.answer.kind}`, (kinds.get(`${a.path} ${a.answer.kind}`) ?? 0) + 1);
    console.log(`# ${attempts.length} attempts: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    console.log(
      `# log of ${history.log.length} entries: ${replay.decisions.size} decided, ${replay.answers.size} answered at once, ${replay.deadLetters.size} dead letters; ` +
        `${history.decisions.length} decisions in all, ${lookups.length} lookups; settled ${seconds(settledMs)} after the load stopped`,
    );
    console.log(`# faults survived: ${survived.length} of ${schedule.length}; worst recovery: next decision ${seconds(Math.max(...survived.map((s) => s.decisionMs)))}, next 202 ${seconds(Math.max(...survived.map((s) => s.acceptMs)))}`);
    for (const v of violations.slice(0, 40)) console.log(`# VIOLATION ${v}`);

    assert.deepEqual(violations.slice(0, 40), [], `${violations.length} broken promises (seed ${SEED})`);
    assert.equal(survived.length, schedule.length, 'every fault was recovered from');
    assert.ok(attempts.some((a) => a.answer.kind === 'unknown' || a.answer.kind === 'not-recorded'), 'the faults were felt by clients');
    assert.ok(replay.answers.size > 0, 'sold-out answers were given at once');
    assert.ok(replay.deadLetters.size > 0, 'dead letters were set aside');
    assert.ok(history.decisions.some((d) => d.source === 'SYNC'), 'the sync path decided');
  });
});
