import { Router } from 'express';
import { DEAD_LETTER_REASONS } from '../../core/dead-letter.js';
import type { DeadLetter, DeadLetterStore } from '../../db/dead-letter-store.js';
import { PoisonMessageError } from '../../kafka/participation-message.js';
import { sendOk } from '../http/envelope.js';
import { AppError, NotFoundError } from '../http/errors.js';
import { idParam, pageQuery } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import type { IngestService } from '../participation/ingest-service.js';

const PREVIEW_BYTES = 2_048;

function view(d: DeadLetter) {
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

export function deadLetterRoutes(store: DeadLetterStore, ingest: IngestService): Router {
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
      throw new AppError('DEAD_LETTER_NOT_REPLAYABLE', `dead letter ${id} cannot succeed on replay (${letter.reasonCode}): ${letter.reason}`);
    }
    try {
      const { requestId, ack } = await ingest.replay(letter.payload);
      await store.markReplayed(id, new Date());
      sendOk(res, 202, 'replayed onto the log', { id, requestId, sequence: ack.offset, partition: ack.partition });
    } catch (err) {
      if (err instanceof PoisonMessageError) throw new AppError('DEAD_LETTER_NOT_REPLAYABLE', `dead letter ${id} is not a valid participation: ${err.message}`);
      throw err;
    }
  });
  return router;
}
