import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { dbEnv, OPEN_UNLIMITED } from './support/api.js';
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

  const env = () => ({ ...OPEN_UNLIMITED, ...dbEnv(db.config), KAFKA_BROKERS: brokers().join(','), KAFKA_TOPIC: topic });

  it('refuses to start on bad configuration and names the variable', async () => {
    const proc = spawnEntrypoint('services/api/main.ts', { ...env(), PORT: 'eighty', DB_POOL_MAX: '0' });
    assert.equal(await proc.exited(), 2);
    assert.match(proc.output(), /PORT/);
    assert.match(proc.output(), /DB_POOL_MAX/);
  });

  it('refuses to start without an admin token unless the admin surface is opened explicitly', async () => {
    const proc = spawnEntrypoint('services/api/main.ts', { ...env(), ADMIN_AUTH: '', ADMIN_TOKEN: '' });
    assert.equal(await proc.exited(), 2);
    assert.match(proc.output(), /ADMIN_TOKEN: required/);
    assert.match(proc.output(), /ADMIN_AUTH=disabled/);
    const short = spawnEntrypoint('services/api/main.ts', { ...env(), ADMIN_AUTH: 'token', ADMIN_TOKEN: 'short' });
    assert.equal(await short.exited(), 2);
    assert.match(short.output(), /ADMIN_TOKEN: must be at least 16 characters/);
  });

  it('on SIGTERM does not wait for clients that never finish their request', async () => {
    const port = await freePort();
    const proc = spawnEntrypoint('services/api/main.ts', { ...env(), PORT: String(port), SHUTDOWN_TIMEOUT_MS: '20000' });
    const url = `http://127.0.0.1:${port}`;
    const sockets: Socket[] = [];
    try {
      await waitFor('api ready', async () => (await fetch(`${url}/readyz`)).status === 200);
      const open = async (text: string) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        sockets.push(socket);
        await once(socket, 'connect');
        socket.write(text);
      };
      // one body never finished, one header block never finished
      await open('POST /api/campaigns/1/participation HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"userId":');
      await open('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      assert.equal((await fetch(`${url}/healthz`)).status, 200, 'the server is serving while they hang');
      proc.child.kill('SIGTERM');
      assert.equal(await proc.exited(), 0, proc.output());
      assert.match(proc.output(), /stopped/);
    } finally {
      for (const s of sockets) s.destroy();
      proc.child.kill('SIGKILL');
    }
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
