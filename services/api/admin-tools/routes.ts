import { Router } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { parse } from '../http/validate.js';
import type { IngestService } from '../participation/ingest-service.js';

const bulkBody = z.object(
  {
    campaignId: z.number({ error: 'must be a number' }).int().positive().max(Number.MAX_SAFE_INTEGER),
    count: z.number({ error: 'must be a number' }).int().min(1).max(1_000_000),
    startUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER - 1_000_000).default(1),
  },
  { error: 'must be a JSON object' },
);

export function adminToolRoutes(ingest: IngestService, topic: string, partitions: () => number): Router {
  const router = Router();
  router.post('/test/participate-bulk', async (req, res) => {
    const body = parse(bulkBody, req.body, 'body');
    const result = await ingest.publishBulk(body.campaignId, body.count, body.startUserId);
    sendOk(res, 200, 'published', { ...result, campaignId: body.campaignId, ratePerSec: Math.round((result.published * 1000) / Math.max(1, result.publishMs)) });
  });
  router.get('/kafka/partition-count', (_req, res) => {
    sendOk(res, 200, 'partition count', { topic, partitionCount: partitions() });
  });
  return router;
}
