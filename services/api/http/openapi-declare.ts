import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { idParam, pageQuery, requestId } from './schemas.js';

/**
 * How a route documents itself: one `operation({...})` next to the route, built from the same zod
 * schemas the route validates with. What every route shares (the envelope, admin auth, body
 * limits, 500) is added by openapi-build.ts, so a declaration states only what is particular to it.
 */

export interface Parameter {
  /** The name under components.parameters; operations refer to it. */
  readonly id: string;
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly required: boolean;
  readonly description?: string;
  readonly schema: z.ZodType;
}

export type Reply =
  | { readonly kind: 'ok'; readonly status: number; readonly description: string; readonly data: z.ZodType; readonly totalCount: boolean }
  | { readonly kind: 'fail'; readonly status: number; readonly description: string; readonly codes: readonly ErrorCode[]; readonly data?: z.ZodType }
  | { readonly kind: 'plain'; readonly status: number; readonly description: string; readonly mediaType: string; readonly schema: z.ZodType };

export interface Operation {
  readonly method: 'get' | 'post';
  /** The full path as clients call it, with `{name}` for path parameters. */
  readonly path: string;
  readonly operationId: string;
  readonly tags: readonly string[];
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly Parameter[];
  /** The JSON body the route parses; 413 and 415 are added for it. */
  readonly body?: z.ZodType;
  readonly replies: readonly Reply[];
}

/** Identity, so that a declaration reads as one and is type-checked where it is written. */
export function operation(op: Operation): Operation {
  return op;
}

/** A success envelope whose data has this schema. */
export function ok(status: 200 | 201 | 202, description: string, data: z.ZodType, options: { totalCount?: boolean } = {}): Reply {
  return { kind: 'ok', status, description, data, totalCount: options.totalCount ?? false };
}

/**
 * An error envelope narrowed to the codes a route can answer with; the status comes from the
 * catalogue, so a code cannot be filed under the wrong one.
 */
export function fail(description: string, codes: readonly [ErrorCode, ...ErrorCode[]], data?: z.ZodType): Reply {
  const status = ERROR_CODES[codes[0]];
  const other = codes.find((code) => ERROR_CODES[code] !== status);
  if (other !== undefined) throw new Error(`${other} travels with ${ERROR_CODES[other]}, not ${status}`);
  return data === undefined ? { kind: 'fail', status, description, codes } : { kind: 'fail', status, description, codes, data };
}

/** A response outside the envelope, such as the health checks and metrics. */
export function plain(status: number, description: string, schema: z.ZodType, mediaType = 'application/json'): Reply {
  return { kind: 'plain', status, description, mediaType, schema };
}

export const badInput = (what: string): Reply => fail(what, ['VALIDATION_FAILED']);
export const badBody = (what: string): Reply => fail(`${what}, or the body is not valid JSON (INVALID_JSON).`, ['VALIDATION_FAILED', 'INVALID_JSON']);
export const databaseDown = fail('The database could not be reached; nothing was recorded. Retry later.', ['DATABASE_UNAVAILABLE']);
/** Why a date parameter was refused, as the statistics and aggregation routes word it. */
export const NOT_A_PAST_DATE = 'not a calendar date YYYY-MM-DD or after today in STATS_TIME_ZONE';
export const campaignNotFound = fail('The campaign does not exist.', ['CAMPAIGN_NOT_FOUND']);

const ID_DESCRIPTION = 'A positive integer without sign or leading zero, at most 2^53 - 1.';

/** A path id parsed with `idParam`. */
export function idPathParameter(id: string, name: string, schema: z.ZodType): Parameter {
  return { id, name, in: 'path', required: true, description: ID_DESCRIPTION, schema };
}

export const campaignIdParameter = idPathParameter('CampaignId', 'campaignId', idParam);

export const pageParameters: readonly Parameter[] = [
  { id: 'Page', name: 'page', in: 'query', required: false, description: 'Zero-based page number.', schema: pageQuery.shape.page },
  { id: 'Size', name: 'size', in: 'query', required: false, description: 'Items per page.', schema: pageQuery.shape.size },
];

export const idempotencyKeyParameter: Parameter = {
  id: 'IdempotencyKey',
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: 'The request id, as an alternative to body.requestId; if both are given they must be equal.',
  schema: requestId,
};

// The envelope every response under /api travels in (see envelope.ts).

export const SuccessEnvelope = z
  .object({ success: z.literal(true), message: z.string(), data: z.unknown() })
  .meta({ id: 'SuccessEnvelope' });

export const FieldProblem = z
  .object({
    field: z.string().meta({ description: 'Where the problem is: `path`, `query.size`, `body.userId`, `header.Idempotency-Key`, …', examples: ['body.userId'] }),
    problem: z.string().meta({ examples: ['must be positive'] }),
  })
  .meta({ id: 'FieldProblem' });

const errorCodes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const ErrorEnvelope = z
  .object({
    success: z.literal(false),
    message: z.string().meta({ description: 'Safe to show to a person; not meant for parsing.' }),
    errorCode: z.enum(errorCodes).meta({
      description: 'Part of the contract: codes are added, never renamed. x-http-status gives the status each travels with.',
      'x-http-status': ERROR_CODES,
    }),
    data: z
      .object({
        details: z.array(FieldProblem).optional().meta({ description: 'With VALIDATION_FAILED: one entry per problem.' }),
        requestId: requestId.optional().meta({ description: 'With BROKER_UNAVAILABLE from participation: the id to retry with.' }),
        executionId: z.number().int().min(1).optional().meta({ description: 'With BATCH_ALREADY_RUNNING: the run in progress.' }),
      })
      .nullable(),
  })
  .meta({ id: 'ErrorEnvelope' });
