import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { dbEnv } from './support/api.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { brokers, deleteTopics, uniqueTopic } from './support/kafka.js';
import { dataOf, request } from './support/http.js';
import { freePort, spawnEntrypoint, waitFor } from './support/process.js';

describe('api process', () => {
  let db: TestDatabase;
  const topic = uniqueTopic('proc');
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
    await deleteTopics([topic]);
  });

  const env = () => ({ ...dbEnv(db.config), KAFKA_BROKERS: brokers().join(','), KAFKA_TOPIC: topic });

  it('refuses to start on bad configuration and names the variable', async () => {
    const proc = spawnEntrypoint('services/api/main.ts', { ...env(), PORT: 'eighty', DB_POOL_MAX: '0' });
    assert.equal(await proc.exited(), 2);
    assert.match(proc.output(), /PORT/);
    assert.match(proc.output(), /DB_POOL_MAX/);
  });

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const port = await freePort();
    const proc = spawnEntrypoint('services/api/main.ts', { ...env(), PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor('api ready', async () => (await fetch(`${url}/readyz`)).status === 200);
      const id = dataOf(await request(`${url}/api/admin/campaigns`, { body: { name: 'drain', totalStock: 3 } })).id as number;

      // Hold the campaign row so that the next participation is in flight for as long as we like.
      const lock = await db.sequelize.transaction();
      await db.sequelize.query('SELECT id FROM campaigns WHERE id = ? FOR UPDATE', { replacements: [id], transaction: lock });
      const inFlight = request(`${url}/api/campaigns/${id}/participation-sync`, { body: { userId: 1 } });
      // In flight = the api's statement on the campaign is waiting for our lock.
      await waitFor('the participation blocked on the campaign row', async () => {
        const [row] = await db.sequelize.query<{ n: number }>(
          "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID() AND command = 'Query' AND info LIKE '%campaigns%'",
          { type: QueryTypes.SELECT },
        );
        return Number(row?.n) > 0;
      });
      proc.child.kill('SIGTERM');
      await waitFor('the listener to close', () =>
        fetch(`${url}/healthz`).then(
          () => false,
          () => true,
        ),
      );
      await assert.rejects(fetch(`${url}/healthz`), 'no new connections while draining');
      await lock.commit();

      const res = await inFlight;
      assert.equal(res.status, 200);
      assert.equal(dataOf(res).status, 'SUCCESS');
      assert.equal(await proc.exited(), 0);
      assert.match(proc.output(), /stopped/);
    } finally {
      proc.child.kill('SIGKILL');
    }
  });
});
