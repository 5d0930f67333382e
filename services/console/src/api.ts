/** The page's one way to the API: envelope unwrapping, the admin token, errors as values the views can show. */

const TOKEN_KEY = 'fcfs-console-admin-token';

/** The API lives next to the console: `<prefix>/console/` → `<prefix>/api/`, whatever the prefix. */
const apiRoot = new URL('../', document.baseURI);

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
  }
}

export function adminToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setAdminToken(token: string | null): void {
  if (token === null || token === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export interface ApiResult<T> {
  readonly data: T;
  readonly message: string;
  readonly headers: Headers;
}

interface Envelope {
  success?: unknown;
  message?: unknown;
  errorCode?: unknown;
  data?: unknown;
}

/**
 * Calls `path` (relative, e.g. `api/admin/campaigns`) and returns `data` typed as the caller
 * expects: the contract is the API's OpenAPI document, not checked again here.
 */
export async function call<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = adminToken();
  if (token !== null && path.startsWith('api/admin/')) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  let response: Response;
  try {
    response = await fetch(new URL(path, apiRoot), { method: init.method ?? 'GET', headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'the API could not be reached', null);
  }
  let envelope: Envelope;
  try {
    envelope = (await response.json()) as Envelope;
  } catch {
    throw new ApiError(response.status, 'NOT_JSON', `the API answered ${response.status} without a JSON body`, null);
  }
  const message = typeof envelope.message === 'string' ? envelope.message : '';
  if (!response.ok || envelope.success !== true) {
    const code = typeof envelope.errorCode === 'string' ? envelope.errorCode : 'UNKNOWN';
    throw new ApiError(response.status, code, explain(response.status, code, message), envelope.data ?? null);
  }
  return { data: envelope.data as T, message, headers: response.headers };
}

function explain(status: number, code: string, message: string): string {
  if (code === 'UNAUTHORIZED') return 'This needs the admin token: enter it at the top of the page.';
  if (code === 'FORBIDDEN') return 'The admin token was refused: enter the right one at the top of the page.';
  if (status === 503) return `${message} (a dependency of the API is down; nothing was confirmed)`;
  return message || `the API answered ${status}`;
}

export function errorText(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} [${err.errorCode}]`;
  return err instanceof Error ? err.message : String(err);
}
