import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isIsoDate } from '../platform/day-window.js';
import { VERDICTS } from '../core/verdict.js';
import { DEFAULT_BULK_MAX_COUNT } from './config.js';
import { ERROR_CODES } from './http/errors.js';
import { idParam, requestId } from './http/schemas.js';
import { openApiDocument } from './openapi.js';

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, where: string): JsonRecord {
  assert.ok(isRecord(value), `${where} should be an object`);
  return value;
}

function strings(value: unknown, where: string): string[] {
  assert.ok(Array.isArray(value) && value.every((v) => typeof v === 'string'), `${where} should be an array of strings`);
  return value;
}

// Clients get the document through res.json, so test what survives serialisation.
const doc: unknown = JSON.parse(JSON.stringify(openApiDocument));
const root = record(doc, 'document');
const paths = record(root.paths, 'paths');
const components = record(root.components, 'components');
const schemas = record(components.schemas, 'components.schemas');

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

interface Operation {
  path: string;
  method: string;
  op: JsonRecord;
}

const operations: Operation[] = Object.entries(paths).flatMap(([path, item]) =>
  Object.entries(record(item, path))
    .filter(([method]) => METHODS.includes(method))
    .map(([method, op]) => ({ path, method, op: record(op, `${method} ${path}`) })),
);

function resolvePointer(pointer: string): unknown {
  assert.ok(pointer.startsWith('#/'), `only local refs are used: ${pointer}`);
  let node: unknown = doc;
  for (const raw of pointer.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (!isRecord(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return node;
}

function deref(value: unknown): unknown {
  return isRecord(value) && typeof value.$ref === 'string' ? resolvePointer(value.$ref) : value;
}

function collectRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) collectRefs(item, found);
  } else if (isRecord(node)) {
    if (typeof node.$ref === 'string') found.push(node.$ref);
    for (const value of Object.values(node)) collectRefs(value, found);
  }
  return found;
}

/** The errorCode values an error response narrows the envelope to. */
function narrowedCodes(response: unknown, where: string): string[] {
  const content = record(record(deref(response), where).content, `${where}.content`);
  const schema = record(record(content['application/json'], `${where} json`).schema, `${where} schema`);
  assert.ok(Array.isArray(schema.allOf), `${where} should combine the ErrorEnvelope with its codes`);
  assert.ok(collectRefs(schema.allOf).includes('#/components/schemas/ErrorEnvelope'), `${where} should use the ErrorEnvelope`);
  const codes = schema.allOf.flatMap((part: unknown) => {
    const errorCode = isRecord(part) && isRecord(part.properties) ? part.properties.errorCode : undefined;
    return isRecord(errorCode) ? strings(errorCode.enum, `${where} errorCode.enum`) : [];
  });
  assert.ok(codes.length > 0, `${where} should name its error codes`);
  return codes;
}

function parameterNames(op: JsonRecord, where: string, location: string): string[] {
  const list: unknown[] = Array.isArray(op.parameters) ? op.parameters : [];
  return list
    .map((p, i) => record(deref(p), `${where} parameter ${i}`))
    .filter((p) => p.in === location)
    .map((p) => String(p.name));
}

const EXPECTED = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'POST /api/admin/campaigns',
  'GET /api/admin/campaigns',
  'GET /api/admin/campaigns/{campaignId}',
  'GET /api/campaigns/{campaignId}/status',
  'POST /api/campaigns/{campaignId}/participation',
  'POST /api/campaigns/{campaignId}/participation-sync',
  'GET /api/participations/{requestId}',
  'GET /api/campaigns/{campaignId}/participations/{userId}',
  'GET /api/admin/dlq',
  'POST /api/admin/dlq/{id}/replay',
  'POST /api/admin/test/participate-bulk',
  'GET /api/admin/kafka/partition-count',
  'GET /api/admin/stats/daily',
  'GET /api/admin/stats/raw',
  'GET /api/admin/stats/campaign/{campaignId}',
  'GET /api/admin/stats/order-violations/{campaignId}',
  'GET /api/admin/stats/order-analysis/{campaignId}',
  'POST /api/admin/batch/aggregate',
  'GET /api/admin/batch/status/{executionId}',
  'GET /api/admin/batch/history',
];

function operation(key: string): JsonRecord {
  const found = operations.find((o) => `${o.method.toUpperCase()} ${o.path}` === key);
  assert.ok(found, `${key} should be documented`);
  return found.op;
}

describe('openApiDocument', () => {
  it('is an OpenAPI 3.1 document for this package, served from the root', () => {
    assert.equal(typeof root.openapi, 'string');
    assert.ok(String(root.openapi).startsWith('3.1'));
    const info = record(root.info, 'info');
    assert.equal(info.title, 'fcfs-campaign');
    const pkg = record(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')), 'package.json');
    assert.equal(info.version, pkg.version);
    assert.match(String(info.description), /PENDING/);
    assert.match(String(info.description), /midnight[\s\S]*STATS_TIME_ZONE/);
    assert.deepEqual(root.servers, [{ url: '/' }]);
  });

  it('documents exactly the routes the app serves', () => {
    assert.deepEqual(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort(), [...EXPECTED].sort());
  });

  it('gives every operation a unique operationId and a 2xx response', () => {
    const ids = operations.map(({ path, method, op }) => {
      assert.equal(typeof op.operationId, 'string', `${method} ${path} operationId`);
      const statuses = Object.keys(record(op.responses, `${method} ${path} responses`));
      assert.ok(statuses.some((s) => /^2\d\d$/.test(s)), `${method} ${path} should have a 2xx response`);
      return String(op.operationId);
    });
    assert.equal(new Set(ids).size, ids.length, 'operationIds should be unique');
  });

  it('declares every path template parameter, and no others', () => {
    for (const { path, method, op } of operations) {
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      assert.deepEqual(parameterNames(op, `${method} ${path}`, 'path').sort(), inTemplate.sort(), `${method} ${path}`);
      for (const p of Array.isArray(op.parameters) ? op.parameters : []) {
        const param = record(deref(p), `${method} ${path} parameter`);
        if (param.in === 'path') assert.equal(param.required, true, `${method} ${path} ${String(param.name)} must be required`);
      }
    }
  });

  it('resolves every $ref', () => {
    const refs = collectRefs(doc);
    assert.ok(refs.length > 0);
    for (const ref of new Set(refs)) assert.notEqual(resolvePointer(ref), undefined, `${ref} should resolve`);
  });

  it('has the component schemas clients build on', () => {
    for (const name of [
      'Campaign',
      'CampaignStatus',
      'Participation',
      'ParticipationAccepted',
      'DeadLetter',
      'ErrorEnvelope',
      'DailyStats',
      'StatsReport',
      'CampaignSeries',
      'OrderViolations',
      'OrderAnalysis',
      'Execution',
      'ExecutionDetail',
      'ExecutionStarted',
    ]) {
      assert.ok(name in schemas, `components.schemas.${name}`);
    }
  });

  it('lists every error code of the catalogue in the ErrorEnvelope', () => {
    const envelope = record(schemas.ErrorEnvelope, 'ErrorEnvelope');
    const errorCode = record(record(envelope.properties, 'ErrorEnvelope.properties').errorCode, 'ErrorEnvelope.errorCode');
    const codes = strings(errorCode.enum, 'ErrorEnvelope errorCode.enum');
    for (const code of Object.keys(ERROR_CODES)) assert.ok(codes.includes(code), `${code} should be in the enum`);
    assert.equal(codes.length, Object.keys(ERROR_CODES).length);
  });

  it('files every error code under the status it travels with', () => {
    for (const { path, method, op } of operations) {
      for (const [status, response] of Object.entries(record(op.responses, `${method} ${path} responses`))) {
        if (!/^[45]\d\d$/.test(status) || path === '/readyz') continue;
        for (const code of narrowedCodes(response, `${method} ${path} ${status}`)) {
          assert.ok(code in ERROR_CODES, `${method} ${path} ${status}: unknown code ${code}`);
          assert.equal(String(ERROR_CODES[code as keyof typeof ERROR_CODES]), status, `${method} ${path}: ${code}`);
        }
      }
    }
  });

  it('guards the admin operations, and only those, with the bearer scheme', () => {
    const schemes = record(components.securitySchemes, 'securitySchemes');
    const bearer = record(schemes.adminBearer, 'adminBearer');
    assert.deepEqual({ type: bearer.type, scheme: bearer.scheme }, { type: 'http', scheme: 'bearer' });
    for (const { path, method, op } of operations) {
      if (path.startsWith('/api/admin/')) {
        assert.deepEqual(op.security, [{ adminBearer: [] }], `${method} ${path}`);
        const responses = record(op.responses, `${method} ${path} responses`);
        assert.deepEqual(narrowedCodes(responses['401'], `${method} ${path} 401`), ['UNAUTHORIZED']);
        assert.deepEqual(narrowedCodes(responses['403'], `${method} ${path} 403`), ['FORBIDDEN']);
      } else {
        assert.equal(op.security, undefined, `${method} ${path} is public`);
      }
    }
    assert.equal(root.security, undefined);
  });

  it('takes Idempotency-Key on both participation POSTs', () => {
    for (const key of ['POST /api/campaigns/{campaignId}/participation', 'POST /api/campaigns/{campaignId}/participation-sync']) {
      assert.deepEqual(parameterNames(operation(key), key, 'header'), ['Idempotency-Key']);
    }
  });

  it('answers the async participation with 202 PENDING, 200 and a retryable 503', () => {
    const responses = record(operation('POST /api/campaigns/{campaignId}/participation').responses, 'participate responses');
    assert.ok(collectRefs(responses['202']).includes('#/components/schemas/ParticipationAccepted'));
    assert.ok(collectRefs(responses['200']).includes('#/components/schemas/ParticipationSoldOut'));
    assert.ok(narrowedCodes(responses['503'], 'participate 503').includes('BROKER_UNAVAILABLE'));
    assert.match(JSON.stringify(responses['503']), /"requestId"/);
    const accepted = record(record(schemas.ParticipationAccepted, 'ParticipationAccepted').properties, 'ParticipationAccepted.properties');
    assert.deepEqual(accepted.status, { type: 'string', const: 'PENDING' });
  });

  it('uses the verdicts of the core for Participation.status', () => {
    const properties = record(record(schemas.Participation, 'Participation').properties, 'Participation.properties');
    assert.deepEqual(strings(record(properties.status, 'status').enum, 'status.enum'), [...VERDICTS]);
  });

  it('states the same id and requestId rules as the validators', () => {
    const parameters = record(components.parameters, 'components.parameters');
    const pattern = (name: string) => new RegExp(String(record(record(parameters[name], name).schema, `${name}.schema`).pattern));
    const idSamples = ['1', '9', '10', '42', '9007199254740991', '1234567890123456', '0', '01', '-1', '+1', '1.5', '1e3', '', ' 1', 'abc', '12345678901234567'];
    for (const name of ['CampaignId', 'UserIdPath', 'DeadLetterId', 'ExecutionId']) {
      // Beyond 2^53 - 1 the validator refuses what the pattern admits; the description says so.
      for (const s of idSamples) assert.equal(pattern(name).test(s), idParam.safeParse(s).success, `${name}: ${JSON.stringify(s)}`);
    }
    const requestIdSamples = ['a', 'A-b_c.d:e', 'x'.repeat(64), 'x'.repeat(65), '', 'a b', 'a/b', 'ü', 'a\n'];
    for (const name of ['RequestIdPath', 'IdempotencyKey']) {
      for (const s of requestIdSamples) assert.equal(pattern(name).test(s), requestId.safeParse(s).success, `${name}: ${JSON.stringify(s)}`);
    }
  });

  it('states the body constraints the validators enforce', () => {
    const props = (name: string) => record(record(schemas[name], name).properties, `${name}.properties`);
    const campaign = props('CreateCampaignRequest');
    assert.deepEqual(
      { min: record(campaign.name, 'name').minLength, max: record(campaign.name, 'name').maxLength },
      { min: 1, max: 100 },
    );
    assert.deepEqual(
      { min: record(campaign.totalStock, 'totalStock').minimum, max: record(campaign.totalStock, 'totalStock').maximum },
      { min: 1, max: 10_000_000 },
    );
    assert.equal(record(campaign.startsAt, 'startsAt').format, 'date-time');
    assert.equal(record(campaign.endsAt, 'endsAt').format, 'date-time');
    const bulkCount = record(props('BulkParticipationRequest').count, 'count');
    assert.deepEqual({ min: bulkCount.minimum, max: bulkCount.maximum }, { min: 1, max: DEFAULT_BULK_MAX_COUNT });
    const userId = record(props('ParticipationRequest').userId, 'userId');
    assert.deepEqual({ type: userId.type, min: userId.minimum }, { type: 'integer', min: 1 });
  });

  it('advertises X-Total-Count on the paged lists', () => {
    for (const key of ['GET /api/admin/campaigns', 'GET /api/admin/dlq']) {
      const ok = record(record(operation(key).responses, key)['200'], `${key} 200`);
      assert.ok('X-Total-Count' in record(ok.headers, `${key} headers`), key);
      assert.deepEqual(parameterNames(operation(key), key, 'query').sort(), ['page', 'size']);
    }
  });

  it('states the date rule of the statistics and the aggregation', () => {
    const parameters = record(components.parameters, 'components.parameters');
    const required = { StatsDate: true, StartDate: false, EndDate: false, AggregateDate: false };
    // Impossible dates such as 2026-02-30 pass the pattern and fail the validator; the descriptions say so.
    const samples = ['2026-01-31', '2024-02-29', '1999-12-31', '2026-1-31', '20260131', '2026-01-31T00:00:00Z', ' 2026-01-31', '', '٢٠٢٦-01-31'];
    for (const [name, isRequired] of Object.entries(required)) {
      const param = record(parameters[name], name);
      assert.equal(param.required, isRequired, `${name}.required`);
      const schema = record(param.schema, `${name}.schema`);
      assert.equal(schema.format, 'date', `${name}.format`);
      for (const s of samples) assert.equal(new RegExp(String(schema.pattern)).test(s), isIsoDate(s), `${name}: ${JSON.stringify(s)}`);
    }
  });

  it('states the query bounds of the statistics and batch routes', () => {
    const bounds = (key: string, name: string) => {
      const { parameters } = operation(key);
      const list: unknown[] = Array.isArray(parameters) ? parameters : [];
      const param = list.map((p) => record(deref(p), `${key} parameter`)).find((p) => p.name === name && p.in === 'query');
      const schema = record(record(param, `${key} ${name}`).schema, `${key} ${name}.schema`);
      return { type: schema.type, min: schema.minimum, max: schema.maximum, default: schema.default };
    };
    assert.deepEqual(bounds('GET /api/admin/stats/order-violations/{campaignId}', 'limit'), { type: 'integer', min: 1, max: 1000, default: 100 });
    assert.deepEqual(bounds('GET /api/admin/batch/history', 'size'), { type: 'integer', min: 1, max: 200, default: 20 });
    assert.deepEqual(parameterNames(operation('GET /api/admin/stats/campaign/{campaignId}'), 'series', 'query').sort(), ['endDate', 'startDate']);
  });

  it('answers the aggregation with 202 STARTED, or 409 naming the run in progress', () => {
    const responses = record(operation('POST /api/admin/batch/aggregate').responses, 'aggregate responses');
    assert.ok(collectRefs(responses['202']).includes('#/components/schemas/ExecutionStarted'));
    assert.deepEqual(narrowedCodes(responses['409'], 'aggregate 409'), ['BATCH_ALREADY_RUNNING']);
    assert.match(JSON.stringify(responses['409']), /"executionId"/);
    const status = record(operation('GET /api/admin/batch/status/{executionId}').responses, 'status responses');
    assert.deepEqual(narrowedCodes(status['404'], 'status 404'), ['EXECUTION_NOT_FOUND']);
    assert.ok(collectRefs(status['200']).includes('#/components/schemas/ExecutionDetail'));
    const execution = record(record(schemas.Execution, 'Execution').properties, 'Execution.properties');
    assert.deepEqual(strings(record(execution.status, 'status').enum, 'status.enum'), ['STARTED', 'COMPLETED', 'PARTIAL', 'FAILED']);
  });
});
