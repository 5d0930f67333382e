import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decisionsOf, waitForDecisions } from './support/decisions.js';
import { dataOf, request } from './support/http.js';
import { useOwnBrokerFixture } from './support/own-broker.js';
import { waitFor } from './support/process.js';

describe('broker outage', () => {
  const fx = useOwnBrokerFixture({ PRODUCE_TIMEOUT_MS: '2000' });

  it('ingest answers 503 while the broker is down and recovers without a restart', async () => {
    const { db, broker, api } = fx();
    const id = dataOf(await request(`${api.url}/api/admin/campaigns`, { body: { name: 'outage', totalStock: 10 } })).id as number;
    const participate = (userId: number, requestId?: string) =>
      request(`${api.url}/api/campaigns/${id}/participation`, { body: requestId ? { userId, requestId } : { userId } });
    assert.equal((await participate(1)).status, 202);
    // started once a readiness probe found both dependencies up: on a loaded machine the probe at
    // construction can time out while a request still gets through
    await waitFor('the api started', async () => (await fetch(`${api.url}/readyz`)).status === 200);

    await broker.stop();
    const started = performance.now();
    const refused = await participate(2);
    const elapsedMs = Math.round(performance.now() - started);
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.errorCode, 'BROKER_UNAVAILABLE');
    assert.equal(refused.headers.get('retry-after'), '1');
    const retryWith = dataOf(refused).requestId;
    assert.equal(typeof retryWith, 'string', 'the 503 names the requestId to retry with');
    console.log(`# 503 answered in ${elapsedMs} ms with the broker down`);
    // still ready: taken out of the Service, it could not give the 503 above to anyone
    const readiness = await fetch(`${api.url}/readyz`);
    const ready = (await readiness.json()) as { status: string; checks: Record<string, string> };
    assert.equal(readiness.status, 200);
    assert.equal(ready.status, 'degraded');
    assert.match(ready.checks.broker ?? '', /^down: /);
    assert.equal(ready.checks.database, 'up');
    assert.match(await (await fetch(`${api.url}/metrics`)).text(), /^fcfs_api_dependency_up\{dependency="broker",service="api"\} 0$/m);
    // the synchronous path does not need the broker
    assert.equal((await request(`${api.url}/api/campaigns/${id}/participation-sync`, { body: { userId: 50 } })).status, 200);

    await broker.start();
    await waitFor('ingest to recover', async () => (await participate(3)).status === 202, 90_000);
    const retried = await participate(2, String(retryWith));
    assert.ok(retried.status === 202 || retried.status === 200, JSON.stringify(retried.body));

    // The consumer recovered too: everything accepted is decided, the retried request once.
    const decided = async () => (await decisionsOf(db.sequelize, id)).filter((r) => r.log_partition !== null);
    await waitForDecisions(db.sequelize, id, 4, 90_000);
    await waitFor('user 2 decided', async () => (await decided()).some((r) => r.user_id === 2), 90_000);
    const users = (await decided()).map((r) => r.user_id);
    assert.equal(users.filter((u) => u === 2).length, 1);
    assert.ok(users.includes(1) && users.includes(3));
  });
});
