import { Router } from 'express';
import { z } from 'zod';
import { DEAD_LETTER_REASONS } from '../../core/dead-letter.js';
import type { DeadLetter, DeadLetterStore } from '../../db/dead-letter-store.js';
import { PoisonMessageError } from '../../kafka/participation-message.js';
import { sendOk } from '../http/envelope.js';
import { DomainError, NotFoundError } from '../../platform/errors.js';
import { badInput, databaseDown, fail, idPathParameter, ok, operation, pageParameters } from '../http/openapi-declare.js';
import { idParam, pageQuery } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import type { IngestService } from '../participation/ingest-service.js';
import { DeadLetterJson, DeadLetterReplayedJson, PREVIEW_BYTES } from './responses.js';

export const deadLetterOperations = [
  operation({
    method: 'get',
    path: '/api/admin/dlq',
    operationId: 'listDeadLetters',
    tags: ['admin'],
    summary: 'List dead letters, newest first',
    description: 'Messages the consumer could not decide. data is a plain array; the total count travels in the X-Total-Count header.',
    parameters: pageParameters,
    replies: [
      ok(200, 'One page of dead letters.', z.array(DeadLetterJson), { totalCount: true }),
      badInput('page or size is not an integer or out of range.'),
      databaseDown,
    ],
  }),
  operation({
    method: 'post',
    path: '/api/admin/dlq/{id}/replay',
    operationId: 'replayDeadLetter',
    tags: ['admin'],
    summary: 'Put a dead letter back on the log',
    description:
      'For an UNKNOWN_CAMPAIGN letter once its campaign exists; it is then decided like any other request. Takes no body. If the broker does not acknowledge, the answer is 503 BROKER_UNAVAILABLE and the dead letter stays unreplayed.',
    parameters: [idPathParameter('DeadLetterId', 'id', idParam)],
    replies: [
      ok(202, 'Written to the log again.', DeadLetterReplayedJson),
      badInput('id is not a positive integer.'),
      fail('The dead letter does not exist.', ['DEAD_LETTER_NOT_FOUND']),
      fail('The dead letter can never succeed: not a valid participation, or its requestId was reused.', ['DEAD_LETTER_NOT_REPLAYABLE']),
      fail('The broker did not acknowledge the replay, or the database could not be reached.', ['BROKER_UNAVAILABLE', 'DATABASE_UNAVAILABLE']),
    ],
  }),
];

function view(d: DeadLetter): z.input<typeof DeadLetterJson> {
  return {
    id: d.id,
    reasonCode: d.reasonCode,
    reason: d.reason,
    replayable: DEAD_LETTER_REASONS[d.reasonCode].replayable,
    request: d.subject,
    original: { topic: d.topic, partition: d.partition, offset: d.offset },
    key: d.key?.toString('utf8') ?? null,
    payload: d.payload === null ? null : d.payload.subarray(0, PREVIEW_BYTES).toString('utf8'),
    payloadBytes: d.payloadBytes,
    createdAt: d.createdAt.toISOString(),
    publishedAt: d.publishedAt?.toISOString() ?? null,
    publishError: d.publishError,
    replayedAt: d.replayedAt?.toISOString() ?? null,
  };
}

export interface DeadLetterRouteDeps {
  store: DeadLetterStore;
  ingest: IngestService;
  clock: () => Date;
}

export function deadLetterRoutes(deps: DeadLetterRouteDeps): Router {
  const { store, ingest, clock } = deps;
  const router = Router();
  router.get('/', async (req, res) => {
    const { page, size } = parse(pageQuery, req.query, 'query');
    const { items, total } = await store.list(size, page * size);
    res.setHeader('X-Total-Count', String(total));
    sendOk(res, 200, 'dead letters, newest first', items.map(view));
  });

  /** Puts a dead letter back on the log, e.g. once its campaign exists; it is decided like any request. */
  router.post('/:id/replay', async (req, res) => {
    const id = parse(idParam, req.params.id, 'path');
    const letter = await store.find(id);
    if (!letter) throw new NotFoundError('DEAD_LETTER_NOT_FOUND', `dead letter ${id} does not exist`);
    if (!DEAD_LETTER_REASONS[letter.reasonCode].replayable) {
      throw new DomainError('DEAD_LETTER_NOT_REPLAYABLE', `dead letter ${id} cannot succeed on replay (${letter.reasonCode}): ${letter.reason}`);
    }
    try {
      const { requestId, ack } = await ingest.replay(letter.payload);
      await store.markReplayed(id, clock());
      sendOk(res, 202, 'replayed onto the log', { id, requestId, sequence: ack.offset, partition: ack.partition });
    } catch (err) {
      if (err instanceof PoisonMessageError) throw new DomainError('DEAD_LETTER_NOT_REPLAYABLE', `dead letter ${id} is not a valid participation: ${err.message}`);
      throw err;
    }
  });
  return router;
}
