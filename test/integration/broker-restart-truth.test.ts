import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisionsOf, replayVerdicts } from './support/decisions.js';
import { dataOf, request, type JsonResponse } from './support/http.js';
import { useOwnBrokerFixture } from './support/own-broker.js';
import { waitFor } from './support/process.js';

const CLIENTS = 200;
const PER_CLIENT = 12;
const STOCK = 1_500;
const USERS = 3_000;

interface Sent {
  requestId: string;
  userId: number;
  response: JsonResponse;
}

/**
 * The broker dies and comes back under concurrent load. Every answer must be true: a 202 is
 * decided; a 503 that says "not recorded" is absent from the history; a 503 that says "may have
 * been recorded" is reported by a lookup as what it became; a retry with the same requestId gets
 * the request's real outcome.
 */
describe('broker restart under load: every answer is true', () => {
  const fx = useOwnBrokerFixture({ PRODUCE_TIMEOUT_MS: '2000' });

  it('202s are decided, 503s are absent or reported as what they became, retries get the real outcome', async () => {
    const { db, broker, api } = fx();
    const id = dataOf(await request(`${api.url}/api/admin/campaigns`, { body: { name: 'restart', totalStock: STOCK } })).id as number;
    const participate = (userId: number, requestId: string) => request(`${api.url}/api/campaigns/${id}/participation`, { body: { userId, requestId } });
    const lookup = (requestId: string) => request(`${api.url}/api/participations/${requestId}`);

    const sent: Sent[] = [];
    let restart: Promise<void> | undefined;
    const client = async (c: number) => {
      for (let n = 0; n < PER_CLIENT; n++) {
        const requestId = `c${c}-${n}`;
        const userId = 1 + ((c * 7919 + n * 104_729) % USERS);
        sent.push({ requestId, userId, response: await participate(userId, requestId) });
        if (sent.length === Math.floor((CLIENTS * PER_CLIENT) / 3)) {
          restart ??= (async () => {
            await broker.stop();
            await new Promise((r) => setTimeout(r, 5_000)); // the outage itself, not a wait for a condition
            await broker.start();
          })();
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    await restart;

    for (const s of sent) assert.ok([200, 202, 503].includes(s.response.status), `${s.response.status} ${JSON.stringify(s.response.body)}`);
    const refused = sent.filter((s) => s.response.status === 503);
    console.log(`# ${sent.length} requests: ${sent.filter((s) => s.response.status === 202).length} accepted, ${refused.length} answered 503`);
    assert.ok(refused.length > 0, 'the outage was felt');
    for (const s of refused) {
      assert.equal(s.response.body.errorCode, 'BROKER_UNAVAILABLE');
      assert.equal(dataOf(s.response).requestId, s.requestId);
      assert.equal(typeof dataOf(s.response).mayHaveBeenRecorded, 'boolean');
    }

    // Half of the 503s are retried with the same requestId once the broker is back.
    await waitFor('ingest to recover', async () => (await participate(USERS + 1, `probe-${id}`)).status !== 503, 90_000);
    const retried = refused.filter((_, i) => i % 2 === 0);
    const retries = new Map<string, JsonResponse>();
    for (const s of retried) {
      let answer = await participate(s.userId, s.requestId);
      await waitFor(`retry of ${s.requestId}`, async () => (answer = await participate(s.userId, s.requestId)).status !== 503, 60_000);
      retries.set(s.requestId, answer);
    }

    // Drained: nothing is pending any more.
    const everyone = [...sent.filter((s) => s.response.status === 202), ...retried];
    await waitFor('every accepted request decided', async () => {
      for (const s of everyone) if (dataOf(await lookup(s.requestId)).status === 'PENDING') return false;
      return true;
    }, 120_000);

    const rows = await decisionsOf(db.sequelize, id);
    const history = new Map(rows.map((r) => [r.request_id, r]));
    for (const s of sent.filter((x) => x.response.status === 202)) {
      const row = history.get(s.requestId);
      assert.ok(row, `202 for ${s.requestId} was decided`);
      assert.equal(row.user_id, s.userId);
      assert.equal(dataOf(await lookup(s.requestId)).status, row.status);
    }
    for (const s of sent.filter((x) => x.response.status === 200)) {
      assert.equal(dataOf(s.response).status, 'SOLD_OUT', 'only a sold-out campaign is answered without the log');
    }
    for (const s of refused) {
      const row = history.get(s.requestId);
      const looked = await lookup(s.requestId);
      if (retries.has(s.requestId)) {
        assert.ok(row, `retried ${s.requestId} was decided`);
        const answer = retries.get(s.requestId);
        assert.ok(answer);
        if (answer.status === 200) assert.equal(dataOf(answer).status, row.status, 'the retry told the real outcome');
        assert.equal(dataOf(looked).status, row.status);
      } else if (dataOf(s.response).mayHaveBeenRecorded === false) {
        assert.equal(row, undefined, `${s.requestId} was said not to be recorded`);
        assert.equal(looked.status, 404);
      } else if (row) {
        assert.equal(dataOf(looked).status, row.status, 'a late-landing request is reported as what it became');
      } else {
        assert.equal(looked.status, 404);
      }
    }

    const winners = rows.filter((r) => r.status === 'SUCCESS').map((r) => r.user_id);
    assert.ok(winners.length <= STOCK);
    assert.equal(new Set(winners).size, winners.length, 'nobody won twice');
    assert.deepEqual(rows.map((r) => r.status), replayVerdicts(rows, STOCK));
  });
});
