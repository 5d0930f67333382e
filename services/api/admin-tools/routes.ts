import { Router } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { badBody, campaignNotFound, databaseDown, ok, operation } from '../http/openapi-declare.js';
import { parse } from '../http/validate.js';
import type { IngestService } from '../participation/ingest-service.js';
import { BulkParticipationResultJson, PartitionCountJson } from './responses.js';

const bulkBody = z
  .object(
    {
      campaignId: z.number({ error: 'must be a number' }).int().positive().max(Number.MAX_SAFE_INTEGER),
      count: z.number({ error: 'must be a number' }).int().min(1).max(1_000_000),
      startUserId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER - 1_000_000).default(1),
    },
    { error: 'must be a JSON object' },
  )
  .meta({ id: 'BulkParticipationRequest' });

export const adminToolOperations = [
  operation({
    method: 'post',
    path: '/api/admin/test/participate-bulk',
    operationId: 'participateBulk',
    tags: ['admin'],
    summary: 'Synthetic load straight into the log',
    description:
      'For experiments: publishes `count` requests for users startUserId, startUserId+1, … with fresh request ids, skipping the campaign window and sold-out checks. Publish failures are counted, not raised.',
    body: bulkBody,
    replies: [
      ok(200, 'What was published.', BulkParticipationResultJson),
      badBody('A field is missing, of the wrong type or out of range (VALIDATION_FAILED)'),
      campaignNotFound,
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/kafka/partition-count',
    operationId: 'getPartitionCount',
    tags: ['admin'],
    summary: 'Partitions of the participation topic',
    replies: [ok(200, 'The topic and its partition count.', PartitionCountJson)],
  }),
];

export function adminToolRoutes(ingest: IngestService, topic: string, partitions: () => number): Router {
  const router = Router();
  router.post('/test/participate-bulk', async (req, res) => {
    const body = parse(bulkBody, req.body, 'body');
    const result = await ingest.publishBulk(body.campaignId, body.count, body.startUserId);
    const published: z.input<typeof BulkParticipationResultJson> = {
      ...result,
      campaignId: body.campaignId,
      ratePerSec: Math.round((result.published * 1000) / Math.max(1, result.publishMs)),
    };
    sendOk(res, 200, 'published', published);
  });
  router.get('/kafka/partition-count', (_req, res) => {
    sendOk(res, 200, 'partition count', { topic, partitionCount: partitions() });
  });
  return router;
}
