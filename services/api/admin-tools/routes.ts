import { Router } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { parse } from '../http/validate.js';
import type { IngestService } from '../participation/ingest-service.js';

const bulkBody = (maxCount: number) =>
  z
    .object(
      {
        campaignId: z.number({ error: 'must be a number' }).int().positive().max(Number.MAX_SAFE_INTEGER),
        count: z
          .number({ error: 'must be a number' })
          .int('must be an integer')
          .min(1, 'must be at least 1')
          .max(maxCount, `must be at most ${maxCount} (BULK_MAX_COUNT of this server)`),
        startUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(1),
      },
      { error: 'must be a JSON object' },
    )
    .refine((b) => b.startUserId + b.count - 1 <= Number.MAX_SAFE_INTEGER, { message: 'startUserId + count - 1 must be a safe integer', path: ['startUserId'] });

export function adminToolRoutes(ingest: IngestService, topic: string, partitions: () => number, bulkMaxCount: number): Router {
  const router = Router();
  const schema = bulkBody(bulkMaxCount);
  router.post('/test/participate-bulk', async (req, res) => {
    const body = parse(schema, req.body, 'body');
    const result = await ingest.publishBulk(body.campaignId, body.count, body.startUserId);
    const complete = result.acknowledged === result.requested;
    sendOk(res, 200, complete ? 'published' : 'stopped: the broker did not acknowledge everything; entries not confirmed may still be in the log', {
      ...result,
      campaignId: body.campaignId,
      ratePerSec: Math.round((result.acknowledged * 1000) / Math.max(1, result.publishMs)),
    });
  });
  router.get('/kafka/partition-count', (_req, res) => {
    sendOk(res, 200, 'partition count', { topic, partitionCount: partitions() });
  });
  return router;
}
