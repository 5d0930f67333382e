import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import type { RunningApi } from '../../services/api/server.js';
import { startTestApi } from './support/api.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { deleteTopics, uniqueTopic } from './support/kafka.js';
import { dataOf, request } from './support/http.js';

interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const campaign = '/api/admin/campaigns';
const sync = (id: string) => `/api/campaigns/${id}/participation-sync`;

describe('hostile and malformed requests', () => {
  let db: TestDatabase;
  let api: RunningApi;
  let secured: RunningApi;
  let id: number;
  const topic = uniqueTopic('bad');
  before(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db.config, topic, { BODY_LIMIT_BYTES: '1024' });
    secured = await startTestApi(db.config, topic, { ADMIN_AUTH: 'token', ADMIN_TOKEN: 's3cret-token-for-tests' });
    id = dataOf(await request(`${api.url}${campaign}`, { body: { name: 'target', totalStock: 5 } })).id as number;
  });
  after(async () => {
    await api.close();
    await secured.close();
    await db.drop();
    await deleteTopics([topic]);
  });

  const cases = (): Case[] => [
    // campaign creation
    { name: 'campaign: empty object', path: campaign, body: {}, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: name missing', path: campaign, body: { totalStock: 5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: name blank', path: campaign, body: { name: '   ', totalStock: 5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: name too long', path: campaign, body: { name: 'x'.repeat(101), totalStock: 5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: name not a string', path: campaign, body: { name: 42, totalStock: 5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock missing', path: campaign, body: { name: 'a' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock negative', path: campaign, body: { name: 'a', totalStock: -1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock zero', path: campaign, body: { name: 'a', totalStock: 0 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock fractional', path: campaign, body: { name: 'a', totalStock: 1.5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock as string', path: campaign, body: { name: 'a', totalStock: '50' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock huge', path: campaign, body: { name: 'a', totalStock: 1e15 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: stock null', path: campaign, body: { name: 'a', totalStock: null }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: bad startsAt', path: campaign, body: { name: 'a', totalStock: 1, startsAt: 'tomorrow' }, status: 400, code: 'VALIDATION_FAILED' },
    {
      name: 'campaign: ends before it starts',
      path: campaign,
      body: { name: 'a', totalStock: 1, startsAt: '2030-01-02T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' },
      status: 400,
      code: 'VALIDATION_FAILED',
    },
    { name: 'campaign: body is an array', path: campaign, body: [{ name: 'a', totalStock: 1 }], status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: body is a bare string', path: campaign, raw: '"hello"', status: 400, code: 'INVALID_JSON' },
    { name: 'campaign: invalid JSON', path: campaign, raw: '{"name": "a", totalStock: 5', status: 400, code: 'INVALID_JSON' },
    { name: 'campaign: not JSON content type', path: campaign, raw: 'name=a&totalStock=5', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'campaign: oversized body', path: campaign, body: { name: 'a', totalStock: 1, padding: 'x'.repeat(4096) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'campaign: startsAt in year 0001', path: campaign, body: { name: 'a', totalStock: 1, startsAt: '0001-01-01T00:00:00Z' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: endsAt in year 0099', path: campaign, body: { name: 'a', totalStock: 1, endsAt: '0099-06-01T00:00:00+02:00' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: name with a lone surrogate', path: campaign, raw: '{"name":"a\\ud800b","totalStock":1}', status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign: gzip declared, plain body', path: campaign, raw: '{"name":"a","totalStock":1}', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, status: 400, code: 'INVALID_CONTENT_ENCODING' },
    { name: 'sync: deflate declared, plain body', path: sync(String(id)), raw: '{"userId":1}', headers: { 'content-type': 'application/json', 'content-encoding': 'deflate' }, status: 400, code: 'INVALID_CONTENT_ENCODING' },
    { name: 'campaign list: page size too big', method: 'GET', path: `${campaign}?size=100000`, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'campaign get: unknown id', method: 'GET', path: `${campaign}/987654321`, status: 404, code: 'CAMPAIGN_NOT_FOUND' },
    // participation
    { name: 'sync: campaign id not numeric', path: sync('abc'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: campaign id negative', path: sync('-1'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: campaign id zero', path: sync('0'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: campaign id fractional', path: sync('1.5'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: campaign id leading zero', path: sync('007'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: campaign id huge', path: sync('99999999999999999999'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: campaign id beyond safe integers', path: sync('9007199254740993'), body: { userId: 1 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: unknown campaign', path: sync('987654321'), body: { userId: 1 }, status: 404, code: 'CAMPAIGN_NOT_FOUND' },
    { name: 'sync: userId missing', path: sync(String(id)), body: {}, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: no body at all', method: 'POST', path: sync(String(id)), status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId negative', path: sync(String(id)), body: { userId: -5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId zero', path: sync(String(id)), body: { userId: 0 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId as string', path: sync(String(id)), body: { userId: '12' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId fractional', path: sync(String(id)), body: { userId: 1.5 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId huge', path: sync(String(id)), body: { userId: 2 ** 60 }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId boolean', path: sync(String(id)), body: { userId: true }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: userId null', path: sync(String(id)), body: { userId: null }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: requestId with spaces', path: sync(String(id)), body: { userId: 1, requestId: 'a b' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: requestId too long', path: sync(String(id)), body: { userId: 1, requestId: 'r'.repeat(65) }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: Idempotency-Key malformed', path: sync(String(id)), body: { userId: 1 }, headers: { 'Idempotency-Key': 'bad key!' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: Idempotency-Key disagrees with body', path: sync(String(id)), body: { userId: 1, requestId: 'one' }, headers: { 'Idempotency-Key': 'two' }, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'sync: invalid JSON', path: sync(String(id)), raw: '{userId: 1}', status: 400, code: 'INVALID_JSON' },
    { name: 'sync: text/plain body', path: sync(String(id)), raw: '{"userId":1}', headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
    { name: 'sync: oversized body', path: sync(String(id)), body: { userId: 1, pad: 'y'.repeat(2048) }, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    // reads
    { name: 'status: unknown campaign', method: 'GET', path: '/api/campaigns/987654321/status', status: 404, code: 'CAMPAIGN_NOT_FOUND' },
    { name: 'status: bad id', method: 'GET', path: '/api/campaigns/abc/status', status: 400, code: 'VALIDATION_FAILED' },
    { name: 'result: bad user id', method: 'GET', path: `/api/campaigns/${id}/participations/-3`, status: 400, code: 'VALIDATION_FAILED' },
    { name: 'result: unknown campaign', method: 'GET', path: '/api/campaigns/987654321/participations/3', status: 404, code: 'CAMPAIGN_NOT_FOUND' },
    { name: 'result: malformed requestId', method: 'GET', path: '/api/participations/a%20b', status: 400, code: 'VALIDATION_FAILED' },
    { name: 'result: unknown requestId', method: 'GET', path: '/api/participations/no-such-request', status: 404, code: 'PARTICIPATION_NOT_FOUND' },
    { name: 'unknown route', method: 'GET', path: '/api/nothing-here', status: 404, code: 'ROUTE_NOT_FOUND' },
    { name: 'PUT on a campaign', method: 'PUT', path: `${campaign}/${id}`, body: { name: 'a', totalStock: 1 }, status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'DELETE on a campaign', method: 'DELETE', path: `${campaign}/${id}`, status: 405, code: 'METHOD_NOT_ALLOWED' },
  ];

  const counts = async () =>
    (
      await db.sequelize.query<{ c: number; p: number; s: number }>(
        'SELECT (SELECT COUNT(*) FROM campaigns) AS c, (SELECT COUNT(*) FROM participations) AS p, (SELECT SUM(current_stock) FROM campaigns) AS s',
        { type: QueryTypes.SELECT },
      )
    )[0];

  it('each gets the right status and a stable error code, and nothing is written', async () => {
    const before = await counts();
    const failures: string[] = [];
    for (const c of cases()) {
      const res = await request(`${api.url}${c.path}`, { method: c.method, body: c.body, raw: c.raw, headers: c.headers });
      if (res.status !== c.status || res.body.errorCode !== c.code || res.body.success || typeof res.body.message !== 'string') {
        failures.push(`${c.name}: got ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(await counts(), before);
  });

  /** node:http rather than fetch: fetch refuses TRACE and caps header sizes itself. */
  const raw = (method: string, path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: { errorCode?: string } }>((resolve, reject) => {
      const req = httpRequest(`${api.url}${path}`, { method, headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as { errorCode?: string } }));
      });
      req.on('error', reject);
      req.end();
    });

  it('TRACE is 405 with the methods that are allowed', async () => {
    const res = await raw('TRACE', '/api/nothing-here');
    assert.equal(res.status, 405);
    assert.equal(res.body.errorCode, 'METHOD_NOT_ALLOWED');
    assert.equal(res.headers.allow, 'GET, HEAD, POST');
    assert.equal((await raw('TRACE', `/api/campaigns/${id}/status`)).status, 405);
  });

  it('an 80 KB header is answered 431 HEADERS_TOO_LARGE, not a reset', async () => {
    const res = await raw('GET', `/api/campaigns/${id}/status`, { 'x-padding': 'p'.repeat(80 * 1024) });
    assert.equal(res.status, 431);
    assert.equal(res.body.errorCode, 'HEADERS_TOO_LARGE');
  });

  it('stores names and dates exactly as the 201 echoes them', async () => {
    const created = await request(`${api.url}${campaign}`, { body: { name: 'émoji 😀 ok', totalStock: 1, startsAt: '1970-01-01T00:00:00.000Z', endsAt: '9999-12-31T23:59:59.999Z' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const read = await request(`${api.url}${campaign}/${String(dataOf(created).id)}`);
    const pick = (d: Record<string, unknown>) => [d.name, d.startsAt, d.endsAt];
    assert.deepEqual(pick(dataOf(read)), pick(dataOf(created)));
    assert.deepEqual(pick(dataOf(read)), ['émoji 😀 ok', '1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']);
  });

  it('validation errors name the offending field', async () => {
    const res = await request(`${api.url}${sync(String(id))}`, { body: { userId: 'x' } });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /body\.userId/);
    assert.deepEqual((res.body.data as { details: { field: string }[] }).details.map((d) => d.field), ['body.userId']);
  });

  it('admin endpoints need the token when one is configured', async () => {
    const none = await request(`${secured.url}${campaign}`, { body: { name: 'x', totalStock: 1 } });
    assert.equal(none.status, 401);
    assert.equal(none.body.errorCode, 'UNAUTHORIZED');
    const wrong = await request(`${secured.url}${campaign}`, { body: { name: 'x', totalStock: 1 }, headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.errorCode, 'FORBIDDEN');
    const ok = await request(`${secured.url}${campaign}`, { method: 'GET', headers: { authorization: 'Bearer s3cret-token-for-tests' } });
    assert.equal(ok.status, 200);
    // participation is public
    const open = await request(`${secured.url}/api/campaigns/${id}/status`);
    assert.equal(open.status, 200);
  });
});
