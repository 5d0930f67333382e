import { z } from 'zod';
import type { ErrorCode } from './errors.js';
import { ErrorEnvelope, fail, SuccessEnvelope, type Operation, type Parameter, type Reply } from './openapi-declare.js';

/** Everything here is served with res.json, so it must be plain JSON: no undefined, no functions. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

export interface DocumentSource {
  readonly info: JsonObject;
  readonly tags: readonly JsonObject[];
  readonly operations: readonly Operation[];
}

const SCHEMAS = '#/components/schemas/';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rewrites zod's output into the document's dialect: refs point into components, an integer
 * "greater than 0" reads as "at least 1", and "X or null" is written as one schema with two types.
 */
function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (!isObject(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = normalise(value);
  if (typeof out.$ref === 'string') out.$ref = out.$ref.replace('#/$defs/', SCHEMAS);
  if (out.type === 'integer' && out.exclusiveMinimum === 0) {
    delete out.exclusiveMinimum;
    out.minimum = 1;
  }
  const anyOf: unknown = out.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2) {
    const first: unknown = anyOf[0];
    const second: unknown = anyOf[1];
    if (isObject(first) && typeof first.type === 'string' && isObject(second) && second.type === 'null' && Object.keys(second).length === 1) {
      delete out.anyOf;
      return { ...first, ...out, type: [first.type, 'null'] };
    }
  }
  return out;
}

/** Converts zod schemas, collecting the named ones (`.meta({ id })`) as components. */
class SchemaConverter {
  readonly components: Record<string, Json> = {};

  toJson(schema: z.ZodType): Json {
    // The input side: what a client sends, and for responses (no transforms there) the same as the output.
    const { $defs, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
    delete rest.$schema;
    if (isObject($defs)) {
      for (const [id, def] of Object.entries($defs)) this.components[id] = normalise(def) as Json;
    }
    return normalise(rest) as Json;
  }
}

const ref = (pointer: string): JsonObject => ({ $ref: pointer });
const json = (schema: Json): JsonObject => ({ 'application/json': { schema } });

const SHARED_RESPONSES = {
  Unauthorized: fail('The request has no Authorization header.', ['UNAUTHORIZED']),
  Forbidden: fail('The Authorization header is not `Bearer <ADMIN_TOKEN>`.', ['FORBIDDEN']),
  PayloadTooLarge: fail('The body is larger than BODY_LIMIT_BYTES.', ['PAYLOAD_TOO_LARGE']),
  UnsupportedMediaType: fail('The body is not application/json, or its charset or encoding is not supported.', ['UNSUPPORTED_MEDIA_TYPE']),
  InternalError: fail('An unexpected error; it is logged with its stack.', ['INTERNAL_ERROR']),
} as const;

const HEADERS = {
  XTotalCount: { description: 'How many items there are across all pages.', schema: { type: 'string', pattern: '^[0-9]+$' } },
  RetryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'string', const: '1' } },
} as const satisfies JsonObject;

const UNAVAILABLE: readonly ErrorCode[] = ['DATABASE_UNAVAILABLE', 'BROKER_UNAVAILABLE'];

function replyJson(reply: Reply, schemas: SchemaConverter): JsonObject {
  switch (reply.kind) {
    case 'ok': {
      const envelope = { allOf: [ref(`${SCHEMAS}SuccessEnvelope`), { type: 'object', required: ['data'], properties: { data: schemas.toJson(reply.data) } }] };
      const body = { description: reply.description, content: json(envelope) };
      return reply.totalCount ? { ...body, headers: { 'X-Total-Count': ref('#/components/headers/XTotalCount') } } : body;
    }
    case 'fail': {
      const narrowed: JsonObject = { errorCode: { enum: [...reply.codes] }, ...(reply.data ? { data: schemas.toJson(reply.data) } : {}) };
      const body = { description: reply.description, content: json({ allOf: [ref(`${SCHEMAS}ErrorEnvelope`), { type: 'object', properties: narrowed }] }) };
      // every 503 tells the client when to retry
      return reply.codes.some((code) => UNAVAILABLE.includes(code)) ? { ...body, headers: { 'Retry-After': ref('#/components/headers/RetryAfter') } } : body;
    }
    case 'plain':
      return { description: reply.description, content: { [reply.mediaType]: { schema: schemas.toJson(reply.schema) } } };
  }
}

/** The responses every operation of a kind shares, by the component they refer to. */
function sharedReplies(op: Operation): Record<string, keyof typeof SHARED_RESPONSES> {
  return {
    ...(op.path.startsWith('/api/admin/') ? { '401': 'Unauthorized', '403': 'Forbidden' } : {}),
    ...(op.body ? { '413': 'PayloadTooLarge', '415': 'UnsupportedMediaType' } : {}),
    ...(op.path.startsWith('/api/') ? { '500': 'InternalError' } : {}),
  };
}

export function buildDocument(source: DocumentSource): JsonObject {
  const schemas = new SchemaConverter();
  const parameters = new Map<string, Parameter>();
  const parameterJson: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};

  const parameterRef = (p: Parameter): JsonObject => {
    const known = parameters.get(p.id);
    if (known !== undefined && known !== p) throw new Error(`two parameters are declared as ${p.id}`);
    if (known === undefined) {
      parameters.set(p.id, p);
      parameterJson[p.id] = {
        name: p.name,
        in: p.in,
        required: p.required,
        ...(p.description === undefined ? {} : { description: p.description }),
        schema: schemas.toJson(p.schema),
      };
    }
    return ref(`#/components/parameters/${p.id}`);
  };

  for (const op of source.operations) {
    const responses: Record<string, Json> = {};
    for (const reply of op.replies) {
      const status = String(reply.status);
      if (status in responses) throw new Error(`${op.operationId} declares ${status} twice`);
      responses[status] = replyJson(reply, schemas);
    }
    for (const [status, name] of Object.entries(sharedReplies(op))) responses[status] = ref(`#/components/responses/${name}`);

    const item = (paths[op.path] ??= {});
    if (op.method in item) throw new Error(`${op.method} ${op.path} is declared twice`);
    item[op.method] = {
      operationId: op.operationId,
      tags: [...op.tags],
      summary: op.summary,
      ...(op.description === undefined ? {} : { description: op.description }),
      ...(op.path.startsWith('/api/admin/') ? { security: [{ adminBearer: [] }] } : {}),
      ...(op.parameters ? { parameters: op.parameters.map(parameterRef) } : {}),
      ...(op.body ? { requestBody: { required: true, content: json(schemas.toJson(op.body)) } } : {}),
      responses,
    };
  }

  const responses = Object.fromEntries(Object.entries(SHARED_RESPONSES).map(([name, reply]) => [name, replyJson(reply, schemas)]));
  // The envelopes are referenced by pointer above; converting them registers them as components.
  schemas.toJson(SuccessEnvelope);
  schemas.toJson(ErrorEnvelope);

  return {
    openapi: '3.1.0',
    info: source.info,
    servers: [{ url: '/' }],
    tags: source.tags,
    paths,
    components: {
      securitySchemes: {
        adminBearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The ADMIN_TOKEN of the server. Enforced unless the server runs with ADMIN_AUTH=disabled.',
        },
      },
      parameters: parameterJson,
      headers: HEADERS,
      responses,
      schemas: Object.fromEntries(Object.entries(schemas.components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}
