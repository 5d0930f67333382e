import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { createConnection } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RunningApi } from '../../services/api/server.js';
import { startTestApi } from './support/api.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { dataOf, request } from './support/http.js';
import { deleteTopics, uniqueTopic } from './support/kafka.js';
import { waitFor } from './support/process.js';

interface Raw {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** Exactly these bytes and headers, nothing added but Host and Connection. */
function send(base: string, path: string, body: Buffer | string, headers: Record<string, string>): Promise<Raw> {
  const url = new URL(path, base);
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-length': String(payload.length), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) if (k !== 'date') h[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** What may differ between two runs of the same request: the log position of an accepted one. */
function comparable(raw: Raw): unknown {
  const body = JSON.parse(raw.body) as { data?: Record<string, unknown> | null };
  const accepted = raw.status === 202;
  if (accepted && body.data) {
    assert.equal(typeof body.data.sequence, 'number');
    body.data.sequence = 'N';
  }
  const headers = { ...raw.headers };
  if (accepted) delete headers['content-length'];
  return { status: raw.status, headers, body };
}

const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * The lean participation route (LEAN_INGEST_ROUTE, the default) and express answer every request
 * alike: status, headers and body, the refusals of bad input, the rate limit and the metrics.
 */
describe('the lean participation route answers exactly as express does', () => {
  let db: TestDatabase;
  let lean: RunningApi;
  let express: RunningApi;
  let id: number;
  const topic = uniqueTopic('lean');
  const limits = { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_USER_PER_SEC: '0.001', RATE_LIMIT_USER_BURST: '1', BODY_LIMIT_BYTES: '1024' };
  before(async () => {
    db = await createTestDatabase();
    lean = await startTestApi(db.config, topic, { ...limits, LEAN_INGEST_ROUTE: 'true' });
    express = await startTestApi(db.config, topic, { ...limits, LEAN_INGEST_ROUTE: 'false' });
    id = dataOf(await request(`${lean.url}/api/admin/campaigns`, { body: { name: 'lean', totalStock: 1000 } })).id as number;
  });
  after(async () => {
    await lean.close();
    await express.close();
    await db.drop();
    await deleteTopics([topic]);
  });

  let user = 0;
  const path = (campaign: string | number = id) => `/api/campaigns/${campaign}/participation`;
  const cases = (): [string, string, Buffer | string, Record<string, string>][] => {
    const u = () => ++user;
    const valid = () => JSON.stringify({ userId: u(), requestId: `lean-${user}` });
    return [
      ['accepted with a requestId', path(), valid(), JSON_TYPE],
      ['accepted with an Idempotency-Key', path(), JSON.stringify({ userId: u() }), { ...JSON_TYPE, 'idempotency-key': `key-${user}` }],
      ['charset=utf-8 and a BOM', path(), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid())]), { 'content-type': 'application/json; charset=UTF-8' }],
      ['upper-case media type', path(), valid(), { 'content-type': 'Application/JSON' }],
      ['leading whitespace', path(), ` \n\t${valid()}`, JSON_TYPE],
      ['invalid JSON', path(), '{userId: 1}', JSON_TYPE],
      ['a JSON string (strict)', path(), '"hello"', JSON_TYPE],
      ['whitespace only', path(), '   ', JSON_TYPE],
      ['a BOM only', path(), Buffer.from([0xef, 0xbb, 0xbf]), JSON_TYPE],
      ['a JSON array', path(), '[1]', JSON_TYPE],
      ['userId missing', path(), '{}', JSON_TYPE],
      ['userId as a string', path(), JSON.stringify({ userId: '12' }), JSON_TYPE],
      ['invalid UTF-8 in the requestId', path(), Buffer.concat([Buffer.from(`{"userId":${u()},"requestId":"a`), Buffer.from([0xff]), Buffer.from('"}')]), JSON_TYPE],
      ['campaign id not numeric', path('abc'), valid(), JSON_TYPE],
      ['campaign id zero', path('0'), valid(), JSON_TYPE],
      ['campaign id with a leading zero', path(`0${id}`), valid(), JSON_TYPE],
      ['unknown campaign', path(987654321), valid(), JSON_TYPE],
      ['Idempotency-Key malformed', path(), JSON.stringify({ userId: u() }), { ...JSON_TYPE, 'idempotency-key': 'bad key!' }],
      ['Idempotency-Key disagrees with the body', path(), JSON.stringify({ userId: u(), requestId: 'one' }), { ...JSON_TYPE, 'idempotency-key': 'two' }],
      ['text/plain', path(), valid(), { 'content-type': 'text/plain' }],
      ['another charset', path(), valid(), { 'content-type': 'application/json; charset=latin1' }],
      ['oversized body', path(), JSON.stringify({ userId: u(), pad: 'x'.repeat(2048) }), JSON_TYPE],
      ['gzip declared, plain body', path(), valid(), { ...JSON_TYPE, 'content-encoding': 'gzip' }],
      ['identity encoding', path(), valid(), { ...JSON_TYPE, 'content-encoding': 'identity' }],
      ['a trailing slash', `${path()}/`, valid(), JSON_TYPE],
      ['a query string', `${path()}?from=app`, valid(), JSON_TYPE],
      ['the same user again (rate limited)', path(), JSON.stringify({ userId: user, requestId: `lean-again-${user}` }), JSON_TYPE],
    ];
  };

  it('gives the same status, headers and body for each of the route\'s inputs, good and bad', async () => {
    // each case runs against both servers with the same user and requestId
    const seen = new Set<number>();
    for (const [name, p, body, headers] of cases()) {
      const fromLean = await send(lean.url, p, body, headers);
      const fromExpress = await send(express.url, p, body, headers);
      assert.deepEqual(comparable(fromLean), comparable(fromExpress), name);
      seen.add(fromLean.status);
    }
    // the cases cover every kind of answer the route gives
    for (const status of [202, 400, 404, 413, 415, 429]) assert.ok(seen.has(status), `a case answered ${status}`);
  });

  it('counts the same outcomes and durations in the metrics', async () => {
    const series = async (api: RunningApi) => {
      const text = await (await fetch(`${api.url}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('fcfs_api_ingest_outcomes_total') || (l.startsWith('fcfs_http_request_duration_seconds_count') && l.includes('participation')))
        .sort();
    };
    const fromLean = await series(lean);
    assert.ok(fromLean.some((l) => l.includes('outcome="accepted"') && !l.endsWith(' 0')));
    assert.deepEqual(fromLean, await series(express));
  });

  it('counts a request whose client left before the answer as unanswered', async () => {
    const { port } = new URL(lean.url);
    await new Promise<void>((resolve) => {
      const socket = createConnection(Number(port), '127.0.0.1', () => {
        // headers and half a body, then gone
        socket.write(`POST ${path()} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"userId":`, () => {
          socket.destroy();
          resolve();
        });
      });
    });
    const metrics = async () => (await (await fetch(`${lean.url}/metrics`)).text()).split('\n');
    await waitFor('the unanswered request counted', async () => (await metrics()).some((l) => l.startsWith('fcfs_api_ingest_outcomes_total{') && l.includes('outcome="unanswered"') && l.endsWith(' 1')));
    assert.ok((await metrics()).some((l) => l.includes('status_class="unanswered"') && l.startsWith('fcfs_http_request_duration_seconds_count')));
  });
});
