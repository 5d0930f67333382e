import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { consoleRoutes } from './routes.js';

async function serve(dir: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use('/console', consoleRoutes(dir));
  app.use((_req, res) => res.status(404).json({ fallthrough: true }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}`, server };
}

describe('console routes', () => {
  let dir: string;
  let built: { url: string; server: Server };
  let missing: { url: string; server: Server };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'console-assets-'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>t</title>');
    await writeFile(join(dir, 'app.js'), 'void 0;');
    built = await serve(dir);
    missing = await serve(join(dir, 'not-built'));
  });
  after(async () => {
    built.server.close();
    missing.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('redirects /console to console/ relative to where it was asked, so a path prefix survives', async () => {
    const res = await fetch(`${built.url}/console?x=1`, { redirect: 'manual' });
    assert.equal(res.status, 308);
    assert.equal(res.headers.get('location'), 'console/');
  });

  it('serves the page and its assets with a policy that allows only its own files', async () => {
    const page = await fetch(`${built.url}/console/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'none'.*script-src 'self'/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    const script = await fetch(`${built.url}/console/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /javascript/);
    assert.equal(script.headers.get('content-security-policy'), page.headers.get('content-security-policy'));
  });

  it('leaves unknown files to the next handler and never serves outside its folder', async () => {
    assert.deepEqual(await (await fetch(`${built.url}/console/nope.js`)).json(), { fallthrough: true });
    const escape = await fetch(`${built.url}/console/%2e%2e/%2e%2e/etc/passwd`);
    assert.notEqual(escape.status, 200);
  });

  it('says how to build the page when it is missing', async () => {
    const res = await fetch(`${missing.url}/console/`);
    assert.equal(res.status, 404);
    const body = (await res.json()) as { errorCode: string; message: string };
    assert.equal(body.errorCode, 'ROUTE_NOT_FOUND');
    assert.match(body.message, /make build/);
  });
});
