import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { badBody, badInput, campaignIdParameter, databaseDown, fail, idempotencyKeyParameter, idPathParameter, ok, operation } from '../http/openapi-declare.js';
import { idParam, requestId, userId } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import { readIdParam, readParticipationBody } from './ingest-input.js';
import { setIngestOutcome, type IngestOutcome } from './ingest-metrics.js';
import type { IngestService } from './ingest-service.js';
import { PENDING, type ParticipationService } from './service.js';
import {
  ParticipationAcceptedJson,
  ParticipationJson,
  ParticipationPendingJson,
  ParticipationSoldOutJson,
  UserParticipationJson,
  UserParticipationPendingJson,
  UserParticipationRefusedJson,
} from './responses.js';
import { participationView, refusalView, userResultView } from './views.js';

export const participationBody = z
  .object(
    {
      userId,
      requestId: requestId
        .optional()
        .meta({ description: 'Makes retries safe; a fresh UUID is used when neither this nor Idempotency-Key is given.' }),
    },
    { error: 'must be a JSON object' },
  )
  .meta({ id: 'ParticipationRequest' });

const participationParameters = [campaignIdParameter, idempotencyKeyParameter];
const badParticipation = badBody(
  'userId, requestId or the Idempotency-Key header is invalid, or the header and body.requestId disagree (VALIDATION_FAILED), or campaignId is not a positive integer',
);
const notFoundOrRateLimited = [
  fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']),
  fail('Over the per-user or per-address rate limit; nothing was recorded. Retry-After (seconds) says when to try again.', ['RATE_LIMITED']),
];
const outsideWindow = ['CAMPAIGN_NOT_STARTED', 'CAMPAIGN_ENDED'] as const;
const pendingUnknowable = (what: string) =>
  fail(`Whether ${what} is still pending cannot be told: the broker is unavailable (BROKER_UNAVAILABLE). Or the database could not be reached (DATABASE_UNAVAILABLE).`, [
    'BROKER_UNAVAILABLE',
    'DATABASE_UNAVAILABLE',
  ]);

export const participationOperations = [
  operation({
    method: 'post',
    path: '/api/campaigns/{campaignId}/participation',
    operationId: 'participate',
    tags: ['participation'],
    summary: 'Take part, decided asynchronously in log order',
    description:
      'Answers only once the broker has acknowledged the request, so an accepted request is never lost; nothing else is waited on (no database read) for a campaign the API process already knows. When the campaign is known to be sold out, answers SOLD_OUT, or DUPLICATE to a user who won, without waiting for a decision; that answer is written to the log first and recorded by the consumer, so its requestId can be looked up (PENDING until then). A retry with the same requestId is written to the log again and answered like the first try (202 PENDING); it is decided at most once, and GET /api/participations/{requestId} tells what it became. A requestId already used for another campaign or user is refused by the consumer (REFUSED, reasonCode REQUEST_ID_REUSED).',
    parameters: participationParameters,
    body: participationBody,
    replies: [
      ok(200, 'Sold out: SOLD_OUT, or DUPLICATE for a user who won; recorded through the log and decided no further.', ParticipationSoldOutJson),
      ok(202, 'Accepted into the log; the decision follows in log order. Look it up by requestId.', ParticipationAcceptedJson),
      badParticipation,
      ...notFoundOrRateLimited,
      fail('The campaign has not started (CAMPAIGN_NOT_STARTED) or has ended (CAMPAIGN_ENDED).', [...outsideWindow]),
      fail(
        'Not confirmed. BROKER_UNAVAILABLE: data.mayHaveBeenRecorded says whether the request may still land in the log and be decided; retry with data.requestId (the same request, decided at most once) or look it up. DATABASE_UNAVAILABLE: only for a campaign this API process has not seen yet, whose first read failed; nothing was recorded; retry with the same requestId.',
        ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
        z
          .object({
            requestId: requestId.optional().meta({ description: 'The id to retry with; set with BROKER_UNAVAILABLE.' }),
            mayHaveBeenRecorded: z.boolean().optional().meta({ description: 'Set with BROKER_UNAVAILABLE: false only when the request never reached the broker.' }),
          })
          .nullable(),
      ),
    ],
  }),
  operation({
    method: 'post',
    path: '/api/campaigns/{campaignId}/participation-sync',
    operationId: 'participateSync',
    tags: ['participation'],
    summary: 'Take part, decided at once in one database transaction',
    description: 'Bypasses the log. A requestId that was already decided gets that decision back.',
    parameters: participationParameters,
    body: participationBody,
    replies: [
      ok(200, 'The decision: SUCCESS, SOLD_OUT or DUPLICATE.', ParticipationJson),
      badParticipation,
      ...notFoundOrRateLimited,
      fail('The campaign has not started (CAMPAIGN_NOT_STARTED) or has ended (CAMPAIGN_ENDED), or the requestId was already decided for another campaign or user (IDEMPOTENCY_KEY_REUSED).', [
        ...outsideWindow,
        'IDEMPOTENCY_KEY_REUSED',
      ]),
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/participations/{requestId}',
    operationId: 'getParticipation',
    tags: ['participation'],
    summary: 'The decision for one request',
    parameters: [{ id: 'RequestIdPath', name: 'requestId', in: 'path', required: true, schema: requestId }],
    replies: [
      ok(200, 'The decision, or PENDING while the consumer has not yet reached the end of the log.', z.xor([ParticipationJson, ParticipationPendingJson])),
      badInput('requestId does not match the allowed characters or length.'),
      fail('No decision for this requestId, and the consumer has reached the end of the log.', ['PARTICIPATION_NOT_FOUND']),
      pendingUnknowable('the request'),
    ],
  }),
  operation({
    method: 'get',
    path: '/api/campaigns/{campaignId}/participations/{userId}',
    operationId: 'getUserParticipation',
    tags: ['participation'],
    summary: "A user's standing in a campaign",
    description:
      'The win if there is one, else the first answer, with the number of answered attempts. REFUSED when the user\'s only accepted requests were refused instead of decided (their requestId was already decided for someone else).',
    parameters: [campaignIdParameter, idPathParameter('UserIdPath', 'userId', idParam)],
    replies: [
      ok(
        200,
        "The user's standing, or PENDING while the consumer has not yet reached the end of the log.",
        z.xor([UserParticipationJson, UserParticipationRefusedJson, UserParticipationPendingJson]),
      ),
      badInput('campaignId or userId is not a positive integer.'),
      fail(
        'The campaign does not exist (CAMPAIGN_NOT_FOUND), or the user has no decision in it and the consumer has reached the end of the log (PARTICIPATION_NOT_FOUND).',
        ['CAMPAIGN_NOT_FOUND', 'PARTICIPATION_NOT_FOUND'],
      ),
      pendingUnknowable('a request'),
    ],
  }),
];

/** The body's requestId and the Idempotency-Key header are the same thing; if both, they must agree. */
function clientRequestId(header: string | string[] | undefined, fromBody: string | undefined): string | undefined {
  if (header === undefined) return fromBody;
  const fromHeader = parse(requestId, header, 'header.Idempotency-Key');
  if (fromBody !== undefined && fromBody !== fromHeader) {
    parse(z.literal(fromBody, { error: 'must equal body.requestId when both are given' }), fromHeader, 'header.Idempotency-Key');
  }
  return fromHeader;
}

/** Where participationRoutes is mounted, and its Kafka-path endpoint beneath it. */
export const PARTICIPATION_MOUNT = '/api';
export const INGEST_PATH = '/campaigns/:campaignId/participation';
/** The endpoint's whole template, as the HTTP metrics label it on both HTTP paths. */
export const INGEST_ROUTE = PARTICIPATION_MOUNT + INGEST_PATH;

interface IngestAnswer {
  readonly status: 200 | 202;
  readonly message: string;
  readonly data: unknown;
  readonly outcome: IngestOutcome;
}

/**
 * The Kafka-path participation from its raw inputs to its answer, for both HTTP paths (the
 * express route and the lean one in lean-route.ts). Throws a DomainError for any refusal.
 */
export async function ingestAnswer(ingest: IngestService, rawCampaignId: unknown, rawBody: unknown, idempotencyKey: string | string[] | undefined): Promise<IngestAnswer> {
  const campaignId = readIdParam(rawCampaignId) ?? parse(idParam, rawCampaignId, 'path');
  const body = readParticipationBody(rawBody) ?? parse(participationBody, rawBody, 'body');
  const result = await ingest.participate(campaignId, body.userId, clientRequestId(idempotencyKey, body.requestId));
  if (result.kind === 'accepted') {
    return {
      status: 202,
      message: 'accepted; the decision follows in log order',
      data: { requestId: result.requestId, status: PENDING, sequence: result.ack.offset, partition: result.ack.partition },
      outcome: 'accepted',
    };
  }
  const soldOut = result.status === 'SOLD_OUT';
  return {
    status: 200,
    message: soldOut ? 'sold out' : 'already won (sold out since)',
    data: { requestId: result.requestId, status: result.status },
    outcome: soldOut ? 'short_circuit_sold_out' : 'short_circuit_duplicate',
  };
}

/** `limits` run before each participation, after the body is parsed (the user limit reads its userId). */
export function participationRoutes(service: ParticipationService, ingest: IngestService, limits: readonly RequestHandler[] = []): Router {
  const router = Router();

  // What the lean route leaves to express: the uncommon forms (another encoding or charset, a
  // chunked body, a trailing slash, …) and every request while the lean route is off.
  router.post(INGEST_PATH, ...limits, async (req, res) => {
    const answer = await ingestAnswer(ingest, req.params.campaignId, req.body, req.headers['idempotency-key']);
    setIngestOutcome(res, answer.outcome);
    sendOk(res, answer.status, answer.message, answer.data);
  });

  router.post('/campaigns/:campaignId/participation-sync', ...limits, async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path');
    const body = parse(participationBody, req.body, 'body');
    const { participation, replayed } = await service.participateSync(campaignId, body.userId, clientRequestId(req.headers['idempotency-key'], body.requestId));
    sendOk(res, 200, replayed ? 'already decided (same requestId)' : 'decided', participationView(participation));
  });

  router.get('/campaigns/:campaignId/participations/:userId', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path');
    const user = parse(idParam, req.params.userId, 'path');
    const result = await service.byCampaignAndUser(campaignId, user);
    if (result === PENDING) sendOk(res, 200, 'accepted, not decided yet', { campaignId, userId: user, status: PENDING });
    else if (result.kind === 'refused') sendOk(res, 200, 'accepted, then refused', refusalView(campaignId, user, result.refusals));
    else sendOk(res, 200, 'participation result', userResultView(result.answers));
  });

  router.get('/participations/:requestId', async (req, res) => {
    const id = parse(requestId, req.params.requestId, 'path');
    const result = await service.byRequestId(id);
    if (result === PENDING) sendOk(res, 200, 'accepted, not decided yet', { requestId: id, status: PENDING });
    else sendOk(res, 200, 'participation result', participationView(result));
  });

  return router;
}
