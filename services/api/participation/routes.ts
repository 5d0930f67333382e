import { Router, type Request } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { idParam, requestId, userId } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import { setIngestOutcome } from './ingest-metrics.js';
import type { IngestService } from './ingest-service.js';
import { PENDING, type ParticipationService } from './service.js';
import { participationView, refusalView, userResultView } from './views.js';

const participationBody = z.object(
  { userId, requestId: requestId.optional() },
  { error: 'must be a JSON object' },
);

/** The body's requestId and the Idempotency-Key header are the same thing; if both, they must agree. */
function clientRequestId(req: Request, fromBody: string | undefined): string | undefined {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return fromBody;
  const fromHeader = parse(requestId, header, 'header.Idempotency-Key');
  if (fromBody !== undefined && fromBody !== fromHeader) {
    parse(z.literal(fromBody, { error: 'must equal body.requestId when both are given' }), fromHeader, 'header.Idempotency-Key');
  }
  return fromHeader;
}

export function participationRoutes(service: ParticipationService, ingest: IngestService): Router {
  const router = Router();

  router.post('/campaigns/:campaignId/participation', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path');
    const body = parse(participationBody, req.body, 'body');
    const result = await ingest.participate(campaignId, body.userId, clientRequestId(req, body.requestId));
    switch (result.kind) {
      case 'accepted':
        setIngestOutcome(res, 'accepted');
        sendOk(res, 202, 'accepted; the decision follows in log order', {
          requestId: result.requestId,
          status: PENDING,
          sequence: result.ack.offset,
          partition: result.ack.partition,
        });
        return;
      case 'short-circuit':
        setIngestOutcome(res, result.answer.status === 'SOLD_OUT' ? 'short_circuit_sold_out' : 'short_circuit_duplicate');
        sendOk(res, 200, result.answer.status === 'SOLD_OUT' ? 'sold out' : 'already won (sold out since)', {
          requestId: result.answer.requestId,
          status: result.answer.status,
        });
        return;
      case 'already-decided':
        setIngestOutcome(res, 'already_decided');
        sendOk(res, 200, 'already decided (same requestId)', participationView(result.participation));
        return;
    }
  });

  router.post('/campaigns/:campaignId/participation-sync', async (req, res) => {
    const campaignId = parse(idParam, req.params.campaignId, 'path');
    const body = parse(participationBody, req.body, 'body');
    const { participation, replayed } = await service.participateSync(campaignId, body.userId, clientRequestId(req, body.requestId));
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
