import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { after, describe, it } from 'node:test';
import express from 'express';
import { Registry } from 'prom-client';
import { healthRoutes, type ReadinessProbe } from './routes.js';

/** A dependency whose state the test sets. */
function dependency(name: string, up: boolean): ReadinessProbe & { up: boolean } {
  const probe = {
    name,
    up,
    check: () => (probe.up ? Promise.resolve() : Promise.reject(new Error(`${name} refused`))),
  };
  return probe;
}

describe('readiness', () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  const serve = async (probes: readonly ReadinessProbe[], lifecycle = { draining: false }) => {
    const app = express();
    app.use(healthRoutes(probes, lifecycle, new Registry()));
    const server = app.listen(0, '127.0.0.1');
    servers.push(server);
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const base = `http://127.0.0.1:${address.port}`;
    const get = async () => {
      const res = await fetch(`${base}/readyz`);
      return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
    };
    const metrics = async () => (await fetch(`${base}/metrics`)).text();
    return Object.assign(get, { metrics });
  };

  it('is not ready before every dependency answered once, and stays ready through a later outage', async () => {
    const database = dependency('database', true);
    const broker = dependency('broker', false);
    const get = await serve([database, broker]);
    assert.deepEqual(await get(), { status: 503, body: { status: 'starting', checks: { database: 'up', broker: 'down: broker refused' } } });

    broker.up = true;
    assert.deepEqual(await get(), { status: 200, body: { status: 'ready', checks: { database: 'up', broker: 'up' } } });

    database.up = false;
    assert.deepEqual(await get(), { status: 200, body: { status: 'degraded', checks: { database: 'down: database refused', broker: 'up' } } });
  });

  it('is started by its first probe at construction, before anyone asks', async () => {
    const broker = dependency('broker', true);
    const get = await serve([broker]);
    // the construction's probe settled in microtasks, long before the server was listening
    broker.up = false;
    assert.equal((await get()).body.status, 'degraded');
  });

  it('reports draining as not ready, whatever the dependencies', async () => {
    const lifecycle = { draining: false };
    const get = await serve([dependency('broker', true)], lifecycle);
    assert.equal((await get()).status, 200);
    lifecycle.draining = true;
    assert.deepEqual(await get(), { status: 503, body: { status: 'draining', checks: { broker: 'up' } } });
  });

  it('exposes each dependency in fcfs_api_dependency_up, probed at scrape', async () => {
    const broker = dependency('broker', true);
    const get = await serve([dependency('database', true), broker]);
    broker.up = false;
    const text = await get.metrics();
    assert.match(text, /^fcfs_api_dependency_up\{dependency="database"\} 1$/m);
    assert.match(text, /^fcfs_api_dependency_up\{dependency="broker"\} 0$/m);
  });
});
