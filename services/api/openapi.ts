import { JOB_NAME } from '../aggregator/aggregation-job.js';
import { VERDICTS } from '../core/verdict.js';
import type { ExecutionStatus, ExecutionStep } from '../db/batch-store.js';
import { ERROR_CODES, type ErrorCode } from './http/errors.js';

/** Everything here is served with res.json, so it must be plain JSON: no undefined, no functions. */
type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

// Kept in step with services/api/http/schemas.ts; openapi.test.ts checks that they accept the same inputs.
const ID_PATTERN = '^[1-9][0-9]{0,15}$';
const REQUEST_ID_PATTERN = '^[A-Za-z0-9._:-]{1,64}$';
const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
// The shape only: services/aggregator/day-window.ts also refuses impossible dates such as 2026-02-30.
const DATE_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
const PERCENT_PATTERN = '^[0-9]+\\.[0-9]{2}%$';

// Records rather than arrays so that the compiler flags a status added to or dropped from the store.
const EXECUTION_STATUSES: Record<ExecutionStatus, true> = { STARTED: true, COMPLETED: true, PARTIAL: true, FAILED: true };
const STEP_STATUSES: Record<ExecutionStep['status'], true> = { COMPLETED: true, FAILED: true };

const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });

const json = (schema: Json): JsonObject => ({ 'application/json': { schema } });

/** A success envelope whose data has the given schema. */
function ok(description: string, data: Json, headers?: JsonObject): JsonObject {
  const body = {
    description,
    content: json({ allOf: [ref('SuccessEnvelope'), { type: 'object', required: ['data'], properties: { data } }] }),
  };
  return headers ? { ...body, headers } : body;
}

/**
 * An error envelope narrowed to the codes this operation can answer with at this status, so that
 * clients can switch on errorCode without guessing which ones apply where.
 */
function fail(description: string, codes: readonly ErrorCode[], data?: Json): JsonObject {
  const narrowed: JsonObject = data === undefined ? { errorCode: { enum: codes } } : { errorCode: { enum: codes }, data };
  const body = { description, content: json({ allOf: [ref('ErrorEnvelope'), { type: 'object', properties: narrowed }] }) };
  // every 503 tells the client when to retry
  return codes.includes('BROKER_UNAVAILABLE') || codes.includes('DATABASE_UNAVAILABLE')
    ? { ...body, headers: { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } } }
    : body;
}

const responseRef = (name: string): JsonObject => ({ $ref: `#/components/responses/${name}` });
const parameterRef = (name: string): JsonObject => ({ $ref: `#/components/parameters/${name}` });

const adminSecurity = [{ adminBearer: [] }];
const adminErrors = { '401': responseRef('Unauthorized'), '403': responseRef('Forbidden') };

const badBody = (what: string): JsonObject =>
  fail(`${what}, or the body is not valid JSON (INVALID_JSON).`, ['VALIDATION_FAILED', 'INVALID_JSON']);
const badInput = (what: string): JsonObject => fail(what, ['VALIDATION_FAILED']);
const bodyErrors = { '413': responseRef('PayloadTooLarge'), '415': responseRef('UnsupportedMediaType') };
const databaseDown = fail('The database could not be reached; nothing was recorded. Retry later.', ['DATABASE_UNAVAILABLE']);

const participationErrors = {
  '404': fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']),
  '409': fail(
    'The campaign has not started (CAMPAIGN_NOT_STARTED) or has ended (CAMPAIGN_ENDED), or the requestId was already decided for another campaign or user (IDEMPOTENCY_KEY_REUSED).',
    ['CAMPAIGN_NOT_STARTED', 'CAMPAIGN_ENDED', 'IDEMPOTENCY_KEY_REUSED'],
  ),
  ...bodyErrors,
  '429': fail('Over the per-user or per-address rate limit; nothing was recorded. Retry-After (seconds) says when to try again.', ['RATE_LIMITED']),
};

const participationParameters = [parameterRef('CampaignId'), parameterRef('IdempotencyKey')];

const NOT_A_PAST_DATE = 'not a calendar date YYYY-MM-DD or after today in STATS_TIME_ZONE';
const campaignNotFound = fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']);

const DESCRIPTION = `First-come-first-served campaigns: stock is handed out in the order requests reach a Kafka log.

**Envelope.** Every JSON response under \`/api\` is an envelope
\`{ "success": true|false, "message": "…", "data": … }\`; failures add \`errorCode\` (see the
\`ErrorEnvelope\` schema for the catalogue) and carry \`data\` = \`null\` or an object such as
\`{ "details": [{ "field", "problem" }] }\` for validation failures. \`/healthz\`, \`/readyz\`,
\`/metrics\` and \`/openapi.json\` answer outside the envelope.

**Request bodies.** Any request under \`/api\` that carries a body must be \`application/json\`
(else 415 \`UNSUPPORTED_MEDIA_TYPE\`), valid JSON with an object or array at the top
(else 400 \`INVALID_JSON\`) and no larger than \`BODY_LIMIT_BYTES\` (else 413 \`PAYLOAD_TOO_LARGE\`).
Unknown body fields are ignored.

**Participation.** \`POST /api/campaigns/{campaignId}/participation\` answers 202 \`PENDING\` once the
broker has acknowledged the request; the consumer decides it later, in log order, as
\`SUCCESS\`, \`SOLD_OUT\` or \`DUPLICATE\`. A user who already won is a \`DUPLICATE\`. A request id
(body \`requestId\` or header \`Idempotency-Key\`, which must agree when both are given) makes
retries safe: the same id gets the same answer, and reusing it for another campaign or user is
409 \`IDEMPOTENCY_KEY_REUSED\`.

**PENDING lookups.** \`GET /api/participations/{requestId}\` and
\`GET /api/campaigns/{campaignId}/participations/{userId}\` answer \`PENDING\` while no decision is
stored and the consumer has not yet reached the end of the log, so the request may still be
decided; once the consumer has reached the end of the log they answer 404
\`PARTICIPATION_NOT_FOUND\`. If the broker cannot be asked, they answer 503 \`BROKER_UNAVAILABLE\`.

**Admin.** \`/api/admin/*\` needs \`Authorization: Bearer <ADMIN_TOKEN>\`, unless the server was
started with \`ADMIN_AUTH=disabled\` (local experiments only).

**Statistics.** A "day" runs from local midnight to local midnight in \`STATS_TIME_ZONE\` (an IANA
zone, \`UTC\` by default; 23 or 25 hours across a DST change), and a participation counts on the
day its acceptance time (\`acceptedAt\`) falls in. Only stored decisions count: neither pending
requests nor the immediate \`SOLD_OUT\` answers of a sold-out campaign. Dates are real calendar
dates \`YYYY-MM-DD\` no later than today in that zone (today is a partial day); anything else is
400 \`VALIDATION_FAILED\`. \`/api/admin/stats/daily\` and \`/api/admin/stats/campaign/{campaignId}\`
read the rows the daily aggregation wrote (the aggregator command, or
\`POST /api/admin/batch/aggregate\`); \`/api/admin/stats/raw\` computes the same numbers from the
history on every call.`;

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'fcfs-campaign',
    version: '0.1.0',
    description: DESCRIPTION,
  },
  servers: [{ url: '/' }],
  tags: [
    { name: 'operations', description: 'Liveness, readiness, metrics and this contract' },
    { name: 'campaigns', description: 'Campaigns and their live counters' },
    { name: 'participation', description: 'Taking part in a campaign and looking up decisions' },
    { name: 'admin', description: 'Operator endpoints under /api/admin' },
    { name: 'statistics', description: 'Per-day campaign statistics and decision order' },
    { name: 'batch', description: 'The daily aggregation job and its executions' },
  ],
  paths: {
    '/healthz': {
      get: {
        operationId: 'getHealth',
        tags: ['operations'],
        summary: 'Liveness',
        description: 'Answers as long as the process serves HTTP; checks no dependency.',
        responses: { '200': { description: 'Alive.', content: json(ref('Health')) } },
      },
    },
    '/readyz': {
      get: {
        operationId: 'getReadiness',
        tags: ['operations'],
        summary: 'Readiness',
        description:
          'Probes the database and the broker (each within 2 s). Ready only when every probe is up and the process is not draining for shutdown.',
        responses: {
          '200': { description: 'Every probe is up.', content: json(ref('Readiness')) },
          '503': { description: 'A probe is down (`unavailable`) or shutdown has begun (`draining`).', content: json(ref('Readiness')) },
        },
      },
    },
    '/metrics': {
      get: {
        operationId: 'getMetrics',
        tags: ['operations'],
        summary: 'Prometheus metrics',
        responses: {
          '200': {
            description: 'Metrics in the Prometheus text exposition format.',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    '/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        tags: ['operations'],
        summary: 'This contract',
        responses: {
          '200': { description: 'The OpenAPI 3.1 document.', content: json({ type: 'object' }) },
        },
      },
    },

    '/api/admin/campaigns': {
      post: {
        operationId: 'createCampaign',
        tags: ['admin', 'campaigns'],
        summary: 'Create a campaign',
        security: adminSecurity,
        requestBody: { required: true, content: json(ref('CreateCampaignRequest')) },
        responses: {
          '201': ok('The campaign, with all its stock.', ref('Campaign')),
          '400': badBody('A field is missing, of the wrong type or out of range (VALIDATION_FAILED, data.details names each field)'),
          ...adminErrors,
          ...bodyErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
      get: {
        operationId: 'listCampaigns',
        tags: ['admin', 'campaigns'],
        summary: 'List campaigns, newest first',
        description: 'data is a plain array; the total count travels in the X-Total-Count header.',
        security: adminSecurity,
        parameters: [parameterRef('Page'), parameterRef('Size')],
        responses: {
          '200': ok('One page of campaigns.', { type: 'array', items: ref('Campaign') }, { 'X-Total-Count': { $ref: '#/components/headers/XTotalCount' } }),
          '400': badInput('page or size is not an integer or out of range.'),
          ...adminErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/campaigns/{campaignId}': {
      get: {
        operationId: 'getCampaign',
        tags: ['admin', 'campaigns'],
        summary: 'One campaign',
        security: adminSecurity,
        parameters: [parameterRef('CampaignId')],
        responses: {
          '200': ok('The campaign.', ref('Campaign')),
          '400': badInput('campaignId is not a positive integer.'),
          ...adminErrors,
          '404': fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']),
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/campaigns/{campaignId}/status': {
      get: {
        operationId: 'getCampaignStatus',
        tags: ['campaigns'],
        summary: 'Stock and decision counters',
        description: 'One primary-key read plus the accepted-but-undecided count; never counts participation rows.',
        parameters: [parameterRef('CampaignId')],
        responses: {
          '200': ok('The campaign status.', ref('CampaignStatus')),
          '400': badInput('campaignId is not a positive integer.'),
          '404': fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']),
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },

    '/api/campaigns/{campaignId}/participation': {
      post: {
        operationId: 'participate',
        tags: ['participation'],
        summary: 'Take part, decided asynchronously in log order',
        description:
          'Answers only once the broker has acknowledged the request, so an accepted request is never lost. When the campaign is already known to be sold out, answers SOLD_OUT at once without writing to the log; that answer is not stored, so a later lookup of its requestId is not found. A requestId that was already decided gets that decision back.',
        parameters: participationParameters,
        requestBody: { required: true, content: json(ref('ParticipationRequest')) },
        responses: {
          '200': ok('Sold out (nothing was written to the log), or the stored decision when the requestId was already decided.', {
            // anyOf: a stored SOLD_OUT decision also satisfies the narrower sold-out shape.
            anyOf: [ref('ParticipationSoldOut'), ref('Participation')],
          }),
          '202': ok('Accepted into the log; the decision follows in log order. Look it up by requestId.', ref('ParticipationAccepted')),
          '400': badBody(
            'userId, requestId or the Idempotency-Key header is invalid, or the header and body.requestId disagree (VALIDATION_FAILED), or campaignId is not a positive integer',
          ),
          ...participationErrors,
          '500': responseRef('InternalError'),
          '503': fail(
            'The broker did not acknowledge the request (BROKER_UNAVAILABLE): it may or may not be in the log, so retry with data.requestId to get one answer. Or the database could not be reached (DATABASE_UNAVAILABLE) and nothing was written.',
            ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
            {
              type: ['object', 'null'],
              properties: {
                requestId: { type: 'string', pattern: REQUEST_ID_PATTERN, description: 'The id to retry with; set with BROKER_UNAVAILABLE.' },
              },
            },
          ),
        },
      },
    },
    '/api/campaigns/{campaignId}/participation-sync': {
      post: {
        operationId: 'participateSync',
        tags: ['participation'],
        summary: 'Take part, decided at once in one database transaction',
        description: 'Bypasses the log. A requestId that was already decided gets that decision back.',
        parameters: participationParameters,
        requestBody: { required: true, content: json(ref('ParticipationRequest')) },
        responses: {
          '200': ok('The decision: SUCCESS, SOLD_OUT or DUPLICATE.', ref('Participation')),
          '400': badBody(
            'userId, requestId or the Idempotency-Key header is invalid, or the header and body.requestId disagree (VALIDATION_FAILED), or campaignId is not a positive integer',
          ),
          ...participationErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/participations/{requestId}': {
      get: {
        operationId: 'getParticipation',
        tags: ['participation'],
        summary: 'The decision for one request',
        parameters: [parameterRef('RequestIdPath')],
        responses: {
          '200': ok('The decision, or PENDING while the consumer has not yet reached the end of the log.', {
            oneOf: [ref('Participation'), ref('ParticipationPending')],
          }),
          '400': badInput('requestId does not match the allowed characters or length.'),
          '404': fail('No decision for this requestId, and the consumer has reached the end of the log.', ['PARTICIPATION_NOT_FOUND']),
          '500': responseRef('InternalError'),
          '503': fail(
            'Whether the request is still pending cannot be told: the broker is unavailable (BROKER_UNAVAILABLE). Or the database could not be reached (DATABASE_UNAVAILABLE).',
            ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
          ),
        },
      },
    },
    '/api/campaigns/{campaignId}/participations/{userId}': {
      get: {
        operationId: 'getUserParticipation',
        tags: ['participation'],
        summary: "A user's standing in a campaign",
        description: 'The win if there is one, else the first decision, with the number of decided attempts.',
        parameters: [parameterRef('CampaignId'), parameterRef('UserIdPath')],
        responses: {
          '200': ok("The user's standing, or PENDING while the consumer has not yet reached the end of the log.", {
            oneOf: [ref('UserParticipation'), ref('UserParticipationPending')],
          }),
          '400': badInput('campaignId or userId is not a positive integer.'),
          '404': fail(
            'The campaign does not exist (CAMPAIGN_NOT_FOUND), or the user has no decision in it and the consumer has reached the end of the log (PARTICIPATION_NOT_FOUND).',
            ['CAMPAIGN_NOT_FOUND', 'PARTICIPATION_NOT_FOUND'],
          ),
          '500': responseRef('InternalError'),
          '503': fail(
            'Whether a request is still pending cannot be told: the broker is unavailable (BROKER_UNAVAILABLE). Or the database could not be reached (DATABASE_UNAVAILABLE).',
            ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
          ),
        },
      },
    },

    '/api/admin/dlq': {
      get: {
        operationId: 'listDeadLetters',
        tags: ['admin'],
        summary: 'List dead letters, newest first',
        description: 'Messages the consumer could not decide. data is a plain array; the total count travels in the X-Total-Count header.',
        security: adminSecurity,
        parameters: [parameterRef('Page'), parameterRef('Size')],
        responses: {
          '200': ok('One page of dead letters.', { type: 'array', items: ref('DeadLetter') }, { 'X-Total-Count': { $ref: '#/components/headers/XTotalCount' } }),
          '400': badInput('page or size is not an integer or out of range.'),
          ...adminErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/dlq/{id}/replay': {
      post: {
        operationId: 'replayDeadLetter',
        tags: ['admin'],
        summary: 'Put a dead letter back on the log',
        description:
          'For instance once its campaign exists; it is then decided like any other request. Takes no body. If the broker does not acknowledge, the answer is 503 BROKER_UNAVAILABLE and the dead letter stays unreplayed.',
        security: adminSecurity,
        parameters: [parameterRef('DeadLetterId')],
        responses: {
          '202': ok('Written to the log again.', ref('DeadLetterReplayed')),
          '400': badInput('id is not a positive integer.'),
          ...adminErrors,
          '404': fail('The dead letter does not exist.', ['DEAD_LETTER_NOT_FOUND']),
          '409': fail('The dead letter is not a valid participation message, so it can never be decided.', ['DEAD_LETTER_NOT_REPLAYABLE']),
          '500': responseRef('InternalError'),
          '503': fail('The broker did not acknowledge the replay, or the database could not be reached.', ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE']),
        },
      },
    },
    '/api/admin/test/participate-bulk': {
      post: {
        operationId: 'participateBulk',
        tags: ['admin'],
        summary: 'Synthetic load straight into the log',
        description:
          'For experiments: publishes `count` (at most BULK_MAX_COUNT) requests for users startUserId, startUserId+1, … with fresh request ids, skipping the campaign window and sold-out checks, 5,000 at a time. Entries the broker did not acknowledge are counted, not raised.',
        security: adminSecurity,
        requestBody: { required: true, content: json(ref('BulkParticipationRequest')) },
        responses: {
          '200': ok('What was published.', ref('BulkParticipationResult')),
          '400': badBody('A field is missing, of the wrong type or out of range (VALIDATION_FAILED)'),
          ...adminErrors,
          '404': fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']),
          ...bodyErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/kafka/partition-count': {
      get: {
        operationId: 'getPartitionCount',
        tags: ['admin'],
        summary: 'Partitions of the participation topic',
        security: adminSecurity,
        responses: {
          '200': ok('The topic and its partition count.', ref('PartitionCount')),
          ...adminErrors,
          '500': responseRef('InternalError'),
        },
      },
    },

    '/api/admin/stats/daily': {
      get: {
        operationId: 'getDailyStats',
        tags: ['admin', 'statistics'],
        summary: "One day's statistics, pre-aggregated",
        description:
          'Reads the rows the aggregation wrote for the day: one per campaign with a participation accepted that day, by campaignId. A day not yet aggregated gives an empty list; a row of today covers what was accepted before its run.',
        security: adminSecurity,
        parameters: [parameterRef('StatsDate')],
        responses: {
          '200': ok("The day's statistics.", { allOf: [ref('StatsReport'), { type: 'object', properties: { method: { const: 'BATCH_AGGREGATED' } } }] }),
          '400': badInput(`date is missing, or ${NOT_A_PAST_DATE}.`),
          ...adminErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/stats/raw': {
      get: {
        operationId: 'getRawStats',
        tags: ['admin', 'statistics'],
        summary: "One day's statistics, computed from the history",
        description:
          'The numbers of /api/admin/stats/daily, computed from the participation history on every call whether or not the day was aggregated: one row per campaign with a participation accepted that day, by campaignId. Compare queryTimeMs with the pre-aggregated read.',
        security: adminSecurity,
        parameters: [parameterRef('StatsDate')],
        responses: {
          '200': ok("The day's statistics.", { allOf: [ref('StatsReport'), { type: 'object', properties: { method: { const: 'RAW_QUERY' } } }] }),
          '400': badInput(`date is missing, or ${NOT_A_PAST_DATE}.`),
          ...adminErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
          '504': fail('The query ran longer than HEAVY_QUERY_TIMEOUT_MS and was stopped.', ['QUERY_TIMEOUT']),
        },
      },
    },
    '/api/admin/stats/campaign/{campaignId}': {
      get: {
        operationId: 'getCampaignStatsSeries',
        tags: ['admin', 'statistics'],
        summary: "One campaign's statistics, day by day",
        description:
          'The pre-aggregated days from startDate to endDate inclusive, oldest first. A day appears only once it is aggregated and only if the campaign had a participation accepted on it: missing days are not filled with zeros.',
        security: adminSecurity,
        parameters: [parameterRef('CampaignId'), parameterRef('StartDate'), parameterRef('EndDate')],
        responses: {
          '200': ok('The days of the range that have statistics.', ref('CampaignSeries')),
          '400': badInput(
            `campaignId is not a positive integer, startDate or endDate is ${NOT_A_PAST_DATE}, startDate is after endDate, or the range spans more than 366 days.`,
          ),
          ...adminErrors,
          '404': campaignNotFound,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/stats/order-violations/{campaignId}': {
      get: {
        operationId: 'getOrderViolations',
        tags: ['admin', 'statistics'],
        summary: 'Decisions that overtook an earlier arrival, largest delay first',
        description:
          'Decision order is the order decisions were stored in (the consumer stores each batch in log order); arrival order is acceptedAt. A decision is a violation when a request that arrived later was decided before it; its delay is how much later the latest such arrival was.',
        security: adminSecurity,
        parameters: [parameterRef('CampaignId'), parameterRef('ViolationLimit')],
        responses: {
          '200': ok('The largest violations, with the totals.', ref('OrderViolations')),
          '400': badInput('campaignId is not a positive integer, or limit is not an integer from 1 to 1000.'),
          ...adminErrors,
          '404': campaignNotFound,
          '500': responseRef('InternalError'),
          '503': databaseDown,
          '504': fail('The query ran longer than HEAVY_QUERY_TIMEOUT_MS and was stopped.', ['QUERY_TIMEOUT']),
        },
      },
    },
    '/api/admin/stats/order-analysis/{campaignId}': {
      get: {
        operationId: 'getOrderAnalysis',
        tags: ['admin', 'statistics'],
        summary: 'Decision order against arrival order',
        description: 'The summary of /api/admin/stats/order-violations/{campaignId}, with the decisions per log partition.',
        security: adminSecurity,
        parameters: [parameterRef('CampaignId')],
        responses: {
          '200': ok('The analysis.', ref('OrderAnalysis')),
          '400': badInput('campaignId is not a positive integer.'),
          ...adminErrors,
          '404': campaignNotFound,
          '500': responseRef('InternalError'),
          '503': databaseDown,
          '504': fail('The query ran longer than HEAVY_QUERY_TIMEOUT_MS and was stopped.', ['QUERY_TIMEOUT']),
        },
      },
    },

    '/api/admin/batch/aggregate': {
      post: {
        operationId: 'startAggregation',
        tags: ['admin', 'batch'],
        summary: "Aggregate a day's statistics",
        description:
          'Takes no body. Claims the day and answers at once; the run goes on in the background, each campaign in its own transaction, and GET /api/admin/batch/status/{executionId} follows it. Running a day again rewrites its rows. One run per day at a time: a run whose heartbeat is older than BATCH_STALE_AFTER_MS is taken to have died, is marked FAILED and is taken over.',
        security: adminSecurity,
        parameters: [parameterRef('AggregateDate')],
        responses: {
          '202': ok('The run has started.', ref('ExecutionStarted')),
          '400': badInput(`date is ${NOT_A_PAST_DATE}.`),
          ...adminErrors,
          '409': fail('A run of this day is already in progress; data.executionId is that run.', ['BATCH_ALREADY_RUNNING'], {
            type: 'object',
            required: ['executionId'],
            properties: { executionId: { type: 'integer', minimum: 1 } },
          }),
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/batch/status/{executionId}': {
      get: {
        operationId: 'getExecution',
        tags: ['admin', 'batch'],
        summary: 'One execution, with its per-campaign steps',
        security: adminSecurity,
        parameters: [parameterRef('ExecutionId')],
        responses: {
          '200': ok('The execution.', ref('ExecutionDetail')),
          '400': badInput('executionId is not a positive integer.'),
          ...adminErrors,
          '404': fail('The execution does not exist, or was removed after BATCH_RETENTION_DAYS.', ['EXECUTION_NOT_FOUND']),
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
    '/api/admin/batch/history': {
      get: {
        operationId: 'listExecutions',
        tags: ['admin', 'batch'],
        summary: 'Recent executions, newest first',
        description: 'Without their steps. Finished executions started more than BATCH_RETENTION_DAYS ago are removed by later runs.',
        security: adminSecurity,
        parameters: [parameterRef('HistorySize')],
        responses: {
          '200': ok('The most recent executions.', { type: 'array', items: ref('Execution') }),
          '400': badInput('size is not an integer from 1 to 200.'),
          ...adminErrors,
          '500': responseRef('InternalError'),
          '503': databaseDown,
        },
      },
    },
  },

  components: {
    securitySchemes: {
      adminBearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'The ADMIN_TOKEN of the server. Enforced unless the server runs with ADMIN_AUTH=disabled.',
      },
    },

    parameters: {
      CampaignId: {
        name: 'campaignId',
        in: 'path',
        required: true,
        description: 'A positive integer without sign or leading zero, at most 2^53 - 1.',
        schema: { type: 'string', pattern: ID_PATTERN },
      },
      UserIdPath: {
        name: 'userId',
        in: 'path',
        required: true,
        description: 'A positive integer without sign or leading zero, at most 2^53 - 1.',
        schema: { type: 'string', pattern: ID_PATTERN },
      },
      DeadLetterId: {
        name: 'id',
        in: 'path',
        required: true,
        description: 'A positive integer without sign or leading zero, at most 2^53 - 1.',
        schema: { type: 'string', pattern: ID_PATTERN },
      },
      ExecutionId: {
        name: 'executionId',
        in: 'path',
        required: true,
        description: 'A positive integer without sign or leading zero, at most 2^53 - 1.',
        schema: { type: 'string', pattern: ID_PATTERN },
      },
      RequestIdPath: {
        name: 'requestId',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: REQUEST_ID_PATTERN },
      },
      IdempotencyKey: {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description: 'The request id, as an alternative to body.requestId; if both are given they must be equal.',
        schema: { type: 'string', pattern: REQUEST_ID_PATTERN },
      },
      Page: {
        name: 'page',
        in: 'query',
        required: false,
        description: 'Zero-based page number.',
        schema: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
      },
      Size: {
        name: 'size',
        in: 'query',
        required: false,
        description: 'Items per page.',
        schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
      },
      StatsDate: {
        name: 'date',
        in: 'query',
        required: true,
        description: 'A calendar date YYYY-MM-DD, today or earlier in STATS_TIME_ZONE.',
        schema: { type: 'string', format: 'date', pattern: DATE_PATTERN },
      },
      StartDate: {
        name: 'startDate',
        in: 'query',
        required: false,
        description:
          'First day, inclusive: a calendar date YYYY-MM-DD, today or earlier in STATS_TIME_ZONE, not after endDate, at most 366 days in all. Default: 29 days before endDate, so 30 days.',
        schema: { type: 'string', format: 'date', pattern: DATE_PATTERN },
      },
      EndDate: {
        name: 'endDate',
        in: 'query',
        required: false,
        description: 'Last day, inclusive: a calendar date YYYY-MM-DD, today or earlier in STATS_TIME_ZONE. Default: today there.',
        schema: { type: 'string', format: 'date', pattern: DATE_PATTERN },
      },
      AggregateDate: {
        name: 'date',
        in: 'query',
        required: false,
        description: 'The day to aggregate: a calendar date YYYY-MM-DD, today (partial) or earlier in STATS_TIME_ZONE. Default: yesterday there.',
        schema: { type: 'string', format: 'date', pattern: DATE_PATTERN },
      },
      ViolationLimit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'How many violations to list.',
        schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      },
      HistorySize: {
        name: 'size',
        in: 'query',
        required: false,
        description: 'How many executions to list.',
        schema: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
      },
    },

    headers: {
      XTotalCount: {
        description: 'How many items there are across all pages.',
        schema: { type: 'string', pattern: '^[0-9]+$' },
      },
      RetryAfter: {
        description: 'Seconds to wait before retrying.',
        schema: { type: 'string', const: '1' },
      },
    },

    responses: {
      Unauthorized: fail('The request has no Authorization header.', ['UNAUTHORIZED']),
      Forbidden: fail('The Authorization header is not `Bearer <ADMIN_TOKEN>`.', ['FORBIDDEN']),
      PayloadTooLarge: fail('The body is larger than BODY_LIMIT_BYTES.', ['PAYLOAD_TOO_LARGE']),
      UnsupportedMediaType: fail('The body is not application/json, or its charset or encoding is not supported.', ['UNSUPPORTED_MEDIA_TYPE']),
      InternalError: fail('An unexpected error; it is logged with its stack.', ['INTERNAL_ERROR']),
    },

    schemas: {
      SuccessEnvelope: {
        type: 'object',
        required: ['success', 'message', 'data'],
        properties: {
          success: { const: true },
          message: { type: 'string' },
          data: {},
        },
      },
      ErrorEnvelope: {
        type: 'object',
        required: ['success', 'message', 'errorCode', 'data'],
        properties: {
          success: { const: false },
          message: { type: 'string', description: 'Safe to show to a person; not meant for parsing.' },
          errorCode: {
            type: 'string',
            description:
              'Part of the contract: codes are added, never renamed. x-http-status gives the status each travels with.',
            enum: Object.keys(ERROR_CODES),
            'x-http-status': ERROR_CODES,
          },
          data: {
            type: ['object', 'null'],
            properties: {
              details: { type: 'array', items: ref('FieldProblem'), description: 'With VALIDATION_FAILED: one entry per problem.' },
              requestId: { type: 'string', pattern: REQUEST_ID_PATTERN, description: 'With BROKER_UNAVAILABLE from participation: the id to retry with.' },
              executionId: { type: 'integer', minimum: 1, description: 'With BATCH_ALREADY_RUNNING: the run in progress.' },
            },
          },
        },
      },
      FieldProblem: {
        type: 'object',
        required: ['field', 'problem'],
        properties: {
          field: { type: 'string', description: 'Where the problem is: `path`, `query.size`, `body.userId`, `header.Idempotency-Key`, …', examples: ['body.userId'] },
          problem: { type: 'string', examples: ['must be positive'] },
        },
      },

      Health: {
        type: 'object',
        required: ['status'],
        properties: { status: { const: 'ok' } },
      },
      Readiness: {
        type: 'object',
        required: ['status', 'checks'],
        properties: {
          status: { enum: ['ready', 'draining', 'unavailable'] },
          checks: {
            type: 'object',
            description: 'Per probe (database, broker): `up` or `down: <reason>`.',
            additionalProperties: { type: 'string' },
          },
        },
      },

      CreateCampaignRequest: {
        type: 'object',
        required: ['name', 'totalStock'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100, description: 'Trimmed first: 1 to 100 characters once surrounding whitespace is removed.' },
          totalStock: { type: 'integer', minimum: 1, maximum: 10_000_000 },
          startsAt: { type: ['string', 'null'], format: 'date-time', description: 'ISO-8601 with Z or an offset; absent or null: open at once.' },
          endsAt: { type: ['string', 'null'], format: 'date-time', description: 'Must be after startsAt when both are given; absent or null: no end.' },
        },
      },
      Campaign: {
        type: 'object',
        required: ['id', 'name', 'totalStock', 'currentStock', 'status', 'startsAt', 'endsAt', 'createdAt'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          name: { type: 'string' },
          totalStock: { type: 'integer', minimum: 1, maximum: 10_000_000 },
          currentStock: { type: 'integer', minimum: 0 },
          status: {
            enum: ['SCHEDULED', 'OPEN', 'SOLD_OUT', 'ENDED'],
            description: 'Derived at read time, never stored: the time window first, then stock.',
          },
          startsAt: { type: ['string', 'null'], format: 'date-time' },
          endsAt: { type: ['string', 'null'], format: 'date-time' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      CampaignStatus: {
        type: 'object',
        required: [
          'campaignId',
          'campaignName',
          'totalStock',
          'currentStock',
          'successCount',
          'failCount',
          'soldOutCount',
          'duplicateCount',
          'totalParticipation',
          'stockUsageRate',
          'pending',
        ],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          campaignName: { type: 'string' },
          totalStock: { type: 'integer', minimum: 1 },
          currentStock: { type: 'integer', minimum: 0 },
          successCount: { type: 'integer', minimum: 0 },
          failCount: { type: 'integer', minimum: 0, description: 'soldOutCount + duplicateCount' },
          soldOutCount: { type: 'integer', minimum: 0, description: 'Decided SOLD_OUT; the ingest short-circuit for a sold-out campaign is not counted.' },
          duplicateCount: { type: 'integer', minimum: 0 },
          totalParticipation: { type: 'integer', minimum: 0, description: 'successCount + failCount' },
          stockUsageRate: { type: 'string', pattern: PERCENT_PATTERN, description: '(totalStock - currentStock) / totalStock, in percent with two decimals.', examples: ['42.50%'] },
          pending: {
            type: 'integer',
            minimum: 0,
            description: 'Accepted into the log and not yet decided. Accept counts are flushed periodically, so it can briefly read low.',
          },
        },
      },

      ParticipationRequest: {
        type: 'object',
        required: ['userId'],
        properties: {
          userId: { type: 'integer', minimum: 1, maximum: MAX_SAFE_INTEGER },
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN, description: 'Makes retries safe; a fresh UUID is used when neither this nor Idempotency-Key is given.' },
        },
      },
      ParticipationAccepted: {
        type: 'object',
        required: ['requestId', 'status', 'sequence', 'partition'],
        properties: {
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
          status: { const: 'PENDING' },
          sequence: { type: 'integer', minimum: 0, description: 'Offset in the log partition: with one partition it orders every request.' },
          partition: { type: 'integer', minimum: 0 },
        },
      },
      ParticipationSoldOut: {
        type: 'object',
        required: ['requestId', 'status'],
        properties: {
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
          status: { const: 'SOLD_OUT' },
        },
      },
      ParticipationPending: {
        type: 'object',
        required: ['requestId', 'status'],
        properties: {
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
          status: { const: 'PENDING' },
        },
      },
      Participation: {
        type: 'object',
        required: ['requestId', 'campaignId', 'userId', 'status', 'source', 'sequence', 'partition', 'acceptedAt', 'decidedAt'],
        properties: {
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
          campaignId: { type: 'integer', minimum: 1 },
          userId: { type: 'integer', minimum: 1, maximum: MAX_SAFE_INTEGER },
          status: { enum: [...VERDICTS], description: 'A user who already won is a DUPLICATE, even once stock is gone.' },
          source: { enum: ['KAFKA', 'SYNC'], description: 'KAFKA: decided by the consumer in log order; SYNC: by participation-sync.' },
          sequence: { type: ['integer', 'null'], minimum: 0, description: 'Log offset; null for SYNC, which bypasses the log.' },
          partition: { type: ['integer', 'null'], minimum: 0, description: 'Log partition; null for SYNC.' },
          acceptedAt: { type: 'string', format: 'date-time' },
          decidedAt: { type: 'string', format: 'date-time' },
        },
      },
      UserParticipation: {
        allOf: [
          ref('Participation'),
          {
            type: 'object',
            required: ['attempts'],
            properties: { attempts: { type: 'integer', minimum: 1, description: 'Decided requests of this user in this campaign.' } },
          },
        ],
      },
      UserParticipationPending: {
        type: 'object',
        required: ['campaignId', 'userId', 'status'],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          userId: { type: 'integer', minimum: 1 },
          status: { const: 'PENDING' },
        },
      },

      DeadLetter: {
        type: 'object',
        required: ['id', 'reason', 'original', 'key', 'payload', 'payloadBytes', 'createdAt', 'replayedAt'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          reason: { type: 'string' },
          original: {
            type: 'object',
            required: ['topic', 'partition', 'offset'],
            properties: {
              topic: { type: 'string' },
              partition: { type: 'integer', minimum: 0 },
              offset: { type: 'integer', minimum: 0 },
            },
          },
          key: { type: ['string', 'null'], description: 'The message key as UTF-8.' },
          payload: { type: ['string', 'null'], description: 'The first 2048 bytes of the message as UTF-8; null for a tombstone.' },
          payloadBytes: { type: 'integer', minimum: 0, description: 'Full payload size.' },
          createdAt: { type: 'string', format: 'date-time' },
          replayedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      DeadLetterReplayed: {
        type: 'object',
        required: ['id', 'requestId', 'sequence', 'partition'],
        properties: {
          id: { type: 'integer', minimum: 1 },
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
          sequence: { type: 'integer', minimum: 0, description: 'New log offset.' },
          partition: { type: 'integer', minimum: 0 },
        },
      },

      BulkParticipationRequest: {
        type: 'object',
        required: ['campaignId', 'count'],
        properties: {
          campaignId: { type: 'integer', minimum: 1, maximum: MAX_SAFE_INTEGER },
          count: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          startUserId: { type: 'integer', minimum: 1, maximum: MAX_SAFE_INTEGER - 1_000_000, default: 1 },
        },
      },
      BulkParticipationResult: {
        type: 'object',
        required: ['requested', 'acknowledged', 'notConfirmed', 'notSent', 'publishMs', 'campaignId', 'ratePerSec'],
        properties: {
          requested: { type: 'integer', minimum: 1 },
          acknowledged: { type: 'integer', minimum: 0, description: 'Acknowledged by the broker: in the log.' },
          notConfirmed: { type: 'integer', minimum: 0, description: 'Sent without an acknowledgement in time: each may or may not be in the log.' },
          notSent: { type: 'integer', minimum: 0, description: 'Never sent: the run stops after the first chunk that is not fully acknowledged.' },
          publishMs: { type: 'integer', minimum: 0 },
          campaignId: { type: 'integer', minimum: 1 },
          ratePerSec: { type: 'integer', minimum: 0, description: 'acknowledged per second of publishMs, rounded.' },
        },
      },
      PartitionCount: {
        type: 'object',
        required: ['topic', 'partitionCount'],
        properties: {
          topic: { type: 'string' },
          partitionCount: { type: 'integer', minimum: 1 },
        },
      },

      DailyStats: {
        type: 'object',
        required: [
          'campaignId',
          'campaignName',
          'date',
          'totalParticipations',
          'successCount',
          'soldOutCount',
          'duplicateCount',
          'failCount',
          'uniqueUsers',
          'successRate',
          'firstAcceptedAt',
          'lastAcceptedAt',
        ],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          campaignName: { type: 'string' },
          date: { type: 'string', format: 'date', pattern: DATE_PATTERN },
          totalParticipations: { type: 'integer', minimum: 0, description: 'Decisions for requests accepted on the day.' },
          successCount: { type: 'integer', minimum: 0 },
          soldOutCount: { type: 'integer', minimum: 0 },
          duplicateCount: { type: 'integer', minimum: 0 },
          failCount: { type: 'integer', minimum: 0, description: 'soldOutCount + duplicateCount' },
          uniqueUsers: { type: 'integer', minimum: 0, description: 'Distinct userIds among them.' },
          successRate: {
            type: 'string',
            pattern: PERCENT_PATTERN,
            description: 'successCount / totalParticipations, in percent with two decimals; 0.00% when there are none.',
            examples: ['12.50%'],
          },
          firstAcceptedAt: { type: ['string', 'null'], format: 'date-time' },
          lastAcceptedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
      StatsReport: {
        type: 'object',
        required: ['date', 'timeZone', 'method', 'queryTimeMs', 'stats'],
        properties: {
          date: { type: 'string', format: 'date', pattern: DATE_PATTERN },
          timeZone: { type: 'string', description: 'STATS_TIME_ZONE, in which the day is counted.', examples: ['Asia/Seoul'] },
          method: { enum: ['BATCH_AGGREGATED', 'RAW_QUERY'], description: 'BATCH_AGGREGATED: read from the aggregated rows; RAW_QUERY: computed from the history.' },
          queryTimeMs: ref('QueryTimeMs'),
          stats: { type: 'array', items: ref('DailyStats'), description: 'One per campaign with a participation accepted on the day, by campaignId.' },
        },
      },
      CampaignSeries: {
        type: 'object',
        required: ['campaignId', 'startDate', 'endDate', 'timeZone', 'method', 'queryTimeMs', 'days'],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          startDate: { type: 'string', format: 'date', pattern: DATE_PATTERN },
          endDate: { type: 'string', format: 'date', pattern: DATE_PATTERN },
          timeZone: { type: 'string', description: 'STATS_TIME_ZONE, in which the days are counted.', examples: ['Asia/Seoul'] },
          method: { const: 'BATCH_AGGREGATED' },
          queryTimeMs: ref('QueryTimeMs'),
          days: { type: 'array', items: ref('DailyStats'), description: 'Oldest first; days without statistics are left out.' },
        },
      },
      QueryTimeMs: {
        type: 'number',
        minimum: 0,
        description: 'Time spent in the database, in milliseconds with up to 3 decimals: the figure the two methods are compared on.',
        examples: [1.234],
      },
      OrderViolation: {
        type: 'object',
        required: ['requestId', 'userId', 'status', 'partition', 'offset', 'sequence', 'acceptedAt', 'overtakenBy', 'delayMs'],
        properties: {
          requestId: { type: 'string', pattern: REQUEST_ID_PATTERN },
          userId: { type: 'integer', minimum: 1, maximum: MAX_SAFE_INTEGER },
          status: { enum: [...VERDICTS] },
          partition: { type: ['integer', 'null'], minimum: 0, description: 'Log partition; null for a SYNC decision.' },
          offset: { type: ['integer', 'null'], minimum: 0, description: 'Log offset; null for a SYNC decision.' },
          sequence: { type: ['integer', 'null'], minimum: 0, description: 'offset again, under the name Participation uses.' },
          acceptedAt: { type: 'string', format: 'date-time', description: 'When this request arrived.' },
          overtakenBy: { type: 'string', format: 'date-time', description: 'The latest arrival among the requests decided before this one.' },
          delayMs: { type: 'integer', minimum: 1, description: 'overtakenBy - acceptedAt' },
        },
      },
      OrderViolations: {
        type: 'object',
        required: ['campaignId', 'totalDecisions', 'totalViolations', 'items'],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          totalDecisions: { type: 'integer', minimum: 0 },
          totalViolations: { type: 'integer', minimum: 0, description: 'All of them, however many limit lets through.' },
          items: { type: 'array', items: ref('OrderViolation'), maxItems: 1000, description: 'Largest delay first.' },
        },
      },
      OrderAnalysis: {
        type: 'object',
        required: ['campaignId', 'totalDecisions', 'violations', 'maxDelayMs', 'avgDelayMs', 'partitions', 'violationRate', 'inArrivalOrder'],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          totalDecisions: { type: 'integer', minimum: 0 },
          violations: { type: 'integer', minimum: 0 },
          maxDelayMs: { type: 'number', minimum: 0, description: 'The largest delay of a violation; 0 without violations.' },
          avgDelayMs: { type: 'number', minimum: 0, description: 'The mean delay of the violations, to one decimal; 0 without violations.' },
          partitions: {
            type: 'array',
            description: 'Decisions per log partition, by partition; null collects the SYNC decisions and comes first.',
            items: {
              type: 'object',
              required: ['partition', 'decisions'],
              properties: {
                partition: { type: ['integer', 'null'], minimum: 0 },
                decisions: { type: 'integer', minimum: 1 },
              },
            },
          },
          violationRate: {
            type: 'string',
            pattern: PERCENT_PATTERN,
            description: 'violations / totalDecisions, in percent with two decimals; 0.00% without decisions.',
            examples: ['0.00%'],
          },
          inArrivalOrder: { type: 'boolean', description: 'Whether there is no violation.' },
        },
      },

      ExecutionStarted: {
        type: 'object',
        required: ['executionId', 'date', 'status'],
        properties: {
          executionId: { type: 'integer', minimum: 1 },
          date: { type: 'string', format: 'date', pattern: DATE_PATTERN },
          status: { const: 'STARTED' },
        },
      },
      Execution: {
        type: 'object',
        required: ['executionId', 'jobName', 'date', 'parameters', 'status', 'startedAt', 'endedAt', 'durationMs', 'error'],
        properties: {
          executionId: { type: 'integer', minimum: 1 },
          jobName: { type: 'string', examples: [JOB_NAME] },
          date: { type: 'string', format: 'date', pattern: DATE_PATTERN, description: 'The day aggregated.' },
          parameters: {
            type: 'object',
            description: 'What the run was started with.',
            properties: { date: { type: 'string', format: 'date' }, timeZone: { type: 'string' } },
          },
          status: {
            enum: Object.keys(EXECUTION_STATUSES),
            description:
              'STARTED while running; COMPLETED when every campaign was aggregated; PARTIAL when some failed and the others are committed; FAILED when all failed, the job itself broke, or the run was abandoned without a heartbeat.',
          },
          startedAt: { type: 'string', format: 'date-time' },
          endedAt: { type: ['string', 'null'], format: 'date-time', description: 'null while STARTED.' },
          durationMs: { type: ['integer', 'null'], minimum: 0, description: 'endedAt - startedAt; null while STARTED.' },
          error: { type: ['string', 'null'], description: 'Why the run is PARTIAL or FAILED.' },
        },
      },
      ExecutionDetail: {
        allOf: [
          ref('Execution'),
          {
            type: 'object',
            required: ['campaigns', 'steps'],
            properties: {
              campaigns: {
                type: 'object',
                required: ['total', 'completed', 'failed'],
                description: 'Counts of the steps recorded so far.',
                properties: {
                  total: { type: 'integer', minimum: 0 },
                  completed: { type: 'integer', minimum: 0 },
                  failed: { type: 'integer', minimum: 0 },
                },
              },
              steps: { type: 'array', items: ref('ExecutionStep'), description: 'One per campaign processed so far, by campaignId.' },
            },
          },
        ],
      },
      ExecutionStep: {
        type: 'object',
        required: ['campaignId', 'status', 'rowsRead', 'durationMs', 'error'],
        properties: {
          campaignId: { type: 'integer', minimum: 1 },
          status: { enum: Object.keys(STEP_STATUSES) },
          rowsRead: { type: 'integer', minimum: 0, description: 'Participations of the campaign on the day; 0 when FAILED.' },
          durationMs: { type: 'integer', minimum: 0 },
          error: { type: ['string', 'null'], description: 'Why the step FAILED.' },
        },
      },
    },
  },
} as const satisfies JsonObject;
