export interface JsonResponse {
  status: number;
  headers: Headers;
  body: {
    success: boolean;
    message: string;
    errorCode?: string;
    data: unknown;
  };
}

/** `timeoutMs` aborts a request left unanswered (the fetch rejects with a TimeoutError). */
export async function request(url: string, init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.raw !== undefined) body = init.raw;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const signal = init.timeoutMs === undefined ? undefined : AbortSignal.timeout(init.timeoutMs);
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, signal });
  const text = await res.text();
  let parsed: JsonResponse['body'];
  try {
    parsed = JSON.parse(text) as JsonResponse['body'];
  } catch {
    throw new Error(`${res.status} response is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Narrows `data` to a record for property access in assertions. */
export function dataOf(res: JsonResponse): Record<string, unknown> {
  if (typeof res.body.data !== 'object' || res.body.data === null || Array.isArray(res.body.data)) {
    throw new Error(`expected an object in data, got ${JSON.stringify(res.body)}`);
  }
  return res.body.data as Record<string, unknown>;
}
