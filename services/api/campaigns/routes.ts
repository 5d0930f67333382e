import { Router } from 'express';
import { z } from 'zod';
import { sendOk } from '../http/envelope.js';
import { idParam, pageQuery } from '../http/schemas.js';
import { parse } from '../http/validate.js';
import type { CampaignService } from './service.js';
import { campaignView, statusView } from './views.js';

const MAX_STOCK = 10_000_000;
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
      .refine((s) => !LONE_SURROGATE.test(s), 'must be valid Unicode (it contains an unpaired surrogate)'),
    totalStock: z
      .number({ error: 'must be a number' })
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_STOCK, `must be at most ${MAX_STOCK}`),
    startsAt: instant.nullish(),
    endsAt: instant.nullish(),
  })
  .refine((b) => !b.startsAt || !b.endsAt || new Date(b.endsAt) > new Date(b.startsAt), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });

export interface StatusSource {
  /** Requests accepted into the log for this campaign and not yet decided. */
  pending(campaignId: number): Promise<number>;
}

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
