import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { adminToolOperations } from './admin-tools/routes.js';
import { batchOperations } from './batch/routes.js';
import { campaignOperations } from './campaigns/routes.js';
import { deadLetterOperations } from './dead-letters/routes.js';
import { healthOperations } from './health/routes.js';
import { buildDocument } from './http/openapi-build.js';
import { operation, plain } from './http/openapi-declare.js';
import { participationOperations } from './participation/routes.js';
import { statsOperations } from './stats/routes.js';

// The contract is assembled from the declarations next to each route; a new route adds its
// operation there and, for a new feature, its list here.

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

// The route serving this document is mounted in app.ts, which imports it from here.
const documentOperation = operation({
  method: 'get',
  path: '/openapi.json',
  operationId: 'getOpenApiDocument',
  tags: ['operations'],
  summary: 'This contract',
  replies: [plain(200, 'The OpenAPI 3.1 document.', z.object({}))],
});

// package.json is two levels up from the sources (services/api/) and three from the compiled
// image (dist/services/api/).
function packageJson(): string {
  try {
    return readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  } catch {
    return readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  }
}
const { version } = z.object({ version: z.string() }).parse(JSON.parse(packageJson()));

export const openApiDocument = buildDocument({
  info: { title: 'fcfs-campaign', version, description: DESCRIPTION },
  tags: [
    { name: 'operations', description: 'Liveness, readiness, metrics and this contract' },
    { name: 'campaigns', description: 'Campaigns and their live counters' },
    { name: 'participation', description: 'Taking part in a campaign and looking up decisions' },
    { name: 'admin', description: 'Operator endpoints under /api/admin' },
    { name: 'statistics', description: 'Per-day campaign statistics and decision order' },
    { name: 'batch', description: 'The daily aggregation job and its executions' },
  ],
  operations: [
    ...healthOperations,
    documentOperation,
    ...campaignOperations,
    ...participationOperations,
    ...deadLetterOperations,
    ...adminToolOperations,
    ...statsOperations,
    ...batchOperations,
  ],
});
