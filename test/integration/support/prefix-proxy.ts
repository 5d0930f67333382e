import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';

export interface PrefixProxy {
  /** Base URL including the prefix, without a trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * What an ingress with a path prefix does: `/<prefix>/x` is forwarded to the upstream as `/x`;
 * anything outside the prefix is a 404 of the proxy's own.
 */
export async function startPrefixProxy(upstream: string, prefix: string): Promise<PrefixProxy> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url !== prefix && !url.startsWith(`${prefix}/`) && !url.startsWith(`${prefix}?`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('outside the prefix');
      return;
    }
    const path = url.slice(prefix.length) || '/';
    const forwarded = request(
      { host: target.hostname, port: target.port, method: req.method, path: path.startsWith('/') ? path : `/${path}`, headers: { ...req.headers, host: target.host } },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}${prefix}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
