import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { startTestConsumer } from './support/consumer.js';
import { useApiFixture } from './support/fixture.js';
import { dataOf, request } from './support/http.js';
import { waitFor } from './support/process.js';

const OUTAGE_MS = Number(process.env.DB_OUTAGE_MS ?? 10_000);
const CLIENTS = 20;
const MARIADB_SCRIPT = path.resolve(import.meta.dirname, '../../scripts/mariadb.sh');

/** The stack's own MariaDB server, as its script knows it. */
function mariadbPid(): number {
  return Number(execFileSync(MARIADB_SCRIPT, ['pid'], { encoding: 'utf8' }).trim());
}

/** A real fault on the shared server, and the one way back from it that never leaves it down. */
interface Outage {
  readonly name: string;
  readonly begin: (pid: number) => void;
  readonly end: (pid: number) => void;
}

const OUTAGES: readonly Outage[] = [
  { name: 'stopped (SIGSTOP)', begin: (pid) => process.kill(pid, 'SIGSTOP'), end: (pid) => process.kill(pid, 'SIGCONT') },
  {
    name: 'killed (SIGKILL) and restarted',
    begin: (pid) => process.kill(pid, 'SIGKILL'),
    // the script's start waits for crash recovery and a ping, and fails loudly if it cannot
    end: () => execFileSync(MARIADB_SCRIPT, ['start'], { stdio: 'ignore', env: process.env }),
  },
];

interface Answer {
  readonly status: number;
  readonly requestId: string;
  readonly verdict: unknown;
  readonly campaignId: number;
  readonly at: number;
}

/** The Kafka path needs only the broker: a database that is down is felt by the decisions, never by the way in. */
for (const outage of OUTAGES) describe(`database ${outage.name} during a Kafka-path rush`, () => {
  const fx = useApiFixture('dboutage');

  it(`answers every request for a known campaign while MariaDB is ${outage.name} for ${OUTAGE_MS / 1000} s, and decides every 202 once it is back`, async () => {
    const api = fx().api.url;
    const create = async (totalStock: number) => dataOf(await request(`${api}/api/admin/campaigns`, { body: { name: 'outage', totalStock } })).id as number;
    const open = await create(1_000_000);
    const soldOut = await create(2);
    const consumer = await startTestConsumer(fx().db.config, fx().topic);
    const answers: Answer[] = [];
    const participate = async (campaignId: number, userId: number) => {
      const requestId = randomUUID();
      const res = await request(`${api}/api/campaigns/${campaignId}/participation`, { body: { userId, requestId } });
      const data = res.body.data as { status?: unknown } | null;
      answers.push({ status: res.status, requestId, verdict: data?.status, campaignId, at: performance.now() });
      return res;
    };
    const pid = mariadbPid();
    let downFrom = 0;
    let downUntil = 0;
    try {
      // the API knows both campaigns, and the short-circuit knows the sold-out one's winners
      for (const user of [1, 2]) assert.equal((await participate(soldOut, user)).status, 202);
      await waitFor('sold out decided', async () => dataOf(await request(`${api}/api/campaigns/${soldOut}/status`)).currentStock === 0);
      let probe = 100;
      await waitFor('the short-circuit at work', async () => (await participate(soldOut, probe++)).status === 200);
      assert.equal((await participate(open, 1)).status, 202);

      let stop = false;
      let user = 1_000;
      const client = async (n: number) => {
        while (!stop) await participate(n % 4 === 0 ? soldOut : open, user++);
      };
      const load = Promise.all(Array.from({ length: CLIENTS }, (_, i) => client(i)));
      await waitFor('the rush under way', () => Promise.resolve(answers.length > 200));
      outage.begin(pid);
      downFrom = performance.now();
      try {
        // the fault lasts a fixed time by design; the load runs through it
        await new Promise((r) => setTimeout(r, OUTAGE_MS));
      } finally {
        // never leave the shared server down, whatever happened meanwhile
        outage.end(pid);
        downUntil = performance.now();
      }
      const afterOutage = answers.length;
      await waitFor('requests answered after the outage', () => Promise.resolve(answers.length > afterOutage + 200));
      stop = true;
      await load;

      const during = answers.filter((a) => a.at > downFrom + 1_000 && a.at < downUntil);
      assert.ok(during.length > 100, `answered while the database was down: ${during.length}`);
      const wrong = answers.filter((a) => !(a.status === 202 || (a.status === 200 && a.campaignId === soldOut && (a.verdict === 'SOLD_OUT' || a.verdict === 'DUPLICATE'))));
      assert.deepEqual(
        wrong.slice(0, 5).map((a) => `${a.status} ${String(a.verdict)}`),
        [],
        `${wrong.length} of ${answers.length} answers were neither 202 nor a true short-circuit`,
      );

      const accepted = answers.filter((a) => a.status === 202).map((a) => a.requestId);
      const shortCircuit = answers.filter((a) => a.status === 200).map((a) => a.requestId);
      const countOf = async (table: string, ids: readonly string[]) => {
        let n = 0;
        for (let i = 0; i < ids.length; i += 1_000) {
          const [row] = await fx().db.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE request_id IN (?)`, {
            replacements: [ids.slice(i, i + 1_000)],
            type: QueryTypes.SELECT,
          });
          n += Number(row?.n);
        }
        return n;
      };
      await waitFor('every 202 decided', async () => (await countOf('participations', accepted)) === accepted.length, 120_000, 500);
      await waitFor('every short-circuit answer recorded', async () => (await countOf('short_circuit_answers', shortCircuit)) === shortCircuit.length, 60_000, 500);
      const [wins] = await fx().db.sequelize.query<{ n: number }>("SELECT COUNT(*) AS n FROM participations WHERE campaign_id = ? AND status = 'SUCCESS'", {
        replacements: [soldOut],
        type: QueryTypes.SELECT,
      });
      assert.equal(Number(wins?.n), 2, 'the sold-out campaign still has exactly its two winners');
    } finally {
      await consumer.stop();
    }
  });
});
