import { Router } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { badBody, badInput, campaignIdParameter, campaignNotFound, databaseDown, ok, operation, pageParameters } from '../http/openapi-declare.js';
import { idParam, pageQuery } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import { CampaignJson, CampaignStatusJson, MAX_STOCK } from './responses.js';
import type { CampaignService } from './service.js';
import { campaignView, statusView } from './views.js';

/** DATETIME holds 1000–9999, but the driver reads years below 100 back as 19xx/20xx; no campaign needs them. */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');

const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 date-time' })
  .refine((s) => {
    const t = new Date(s);
    return t >= EARLIEST && t <= LATEST;
  }, 'must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z');

/** A lone UTF-16 surrogate (e.g. a JSON "\ud800") cannot be stored as UTF-8; the database would keep U+FFFD instead. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

const createCampaignBody = z
  .object({
    name: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(100, 'must be at most 100 characters')
      .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode (it contains an unpaired surrogate)')
      .meta({ description: 'Trimmed first: 1 to 100 characters once surrounding whitespace is removed; valid Unicode.' }),
    totalStock: z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_STOCK, `must be at most ${MAX_STOCK}`),
    startsAt: instant.nullish().meta({ description: 'ISO-8601 with Z or an offset, 1970 to 9999; absent or null: open at once.' }),
    endsAt: instant.nullish().meta({ description: 'Must be after startsAt when both are given; absent or null: no end.' }),
  })
  .refine((b) => !b.startsAt || !b.endsAt || new Date(b.endsAt) > new Date(b.startsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  })
  .meta({ id: 'CreateCampaignRequest' });

const pageOrSizeInvalid = badInput('page or size is not an integer or out of range.');
const campaignIdInvalid = badInput('campaignId is not a positive integer.');

export interface StatusSource {
  /** Requests accepted into the log for this campaign and not yet decided. */
  pending(campaignId: number): Promise<number>;
}

export const campaignOperations = [
  operation({
    method: 'post',
    path: '/api/admin/campaigns',
    operationId: 'createCampaign',
    tags: ['admin', 'campaigns'],
    summary: 'Create a campaign',
    body: createCampaignBody,
    replies: [
      ok(201, 'The campaign, with all its stock.', CampaignJson),
      badBody('A field is missing, of the wrong type or out of range (VALIDATION_FAILED, data.details names each field)'),
      databaseDown,
    ],
  }),
  operation({
    method: 'get',
    path: '/api/admin/campaigns',
    operationId: 'listCampaigns',
    tags: ['admin', 'campaigns'],
    summary: 'List campaigns, newest first',
    description: 'data is a plain array; the total count travels in the X-Total-Count header.',
    parameters: pageParameters,
    replies: [ok(200, 'One page of campaigns.', z.array(CampaignJson), { totalCount: true }), pageOrSizeInvalid, databaseDown],
  }),
  operation({
    method: 'get',
    path: '/api/admin/campaigns/{campaignId}',
    operationId: 'getCampaign',
    tags: ['admin', 'campaigns'],
    summary: 'One campaign',
    parameters: [campaignIdParameter],
    replies: [ok(200, 'The campaign.', CampaignJson), campaignIdInvalid, campaignNotFound, databaseDown],
  }),
  operation({
    method: 'get',
    path: '/api/campaigns/{campaignId}/status',
    operationId: 'getCampaignStatus',
    tags: ['campaigns'],
    summary: 'Stock and decision counters',
    description: 'One primary-key read plus the accepted-but-undecided count; never counts participation rows.',
    parameters: [campaignIdParameter],
    replies: [ok(200, 'The campaign status.', CampaignStatusJson), campaignIdInvalid, campaignNotFound, databaseDown],
  }),
];

export function adminCampaignRoutes(service: CampaignService, clock: () => Date): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const body = parse(createCampaignBody, req.body, 'body');
    const campaign = await service.create({
      name: body.name,
      totalStock: body.totalStock,
      startsAt: body.startsAt ? new Date(body.startsAt) : null,
      endsAt: body.endsAt ? new Date(body.endsAt) : null,
    });
    sendOk(res, 201, 'campaign created', campaignView(campaign, clock()));
  });
  router.get('/', async (req, res) => {
    const { page, size } = parse(pageQuery, req.query, 'query');
    const { items, total } = await service.list(page, size);
    const now = clock();
    // data stays a plain array, as the original clients expect; paging travels in headers
    res.setHeader('X-Total-Count', String(total));
    sendOk(res, 200, 'campaigns, newest first', items.map((c) => campaignView(c, now)));
  });
  router.get('/:campaignId', async (req, res) => {
    const id = parse(idParam, req.params.campaignId, 'path');
    sendOk(res, 200, 'campaign', campaignView(await service.get(id), clock()));
  });
  return router;
}

export function campaignStatusRoutes(service: CampaignService, status: StatusSource): Router {
  const router = Router();
  router.get('/:campaignId/status', async (req, res) => {
    const id = parse(idParam, req.params.campaignId, 'path');
    const campaign = await service.get(id);
    sendOk(res, 200, 'campaign status', statusView(campaign, await status.pending(id)));
  });
  return router;
}
