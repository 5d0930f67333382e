import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiConfig } from '../config.js';
import { guardConnections } from '../http/connections.js';

/** While draining, a request still arriving this long after the stop began is cut off. */
const DRAIN_GRACE_MS = 1_000;

export interface Listening {
  readonly server: Server;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish, cuts off what keeps coming after the grace. */
  drain(): Promise<void>;
}

/** Pending connections the kernel queues for us (it caps this at net.core.somaxconn). */
const LISTEN_BACKLOG = 4_096;

export async function listen(app: RequestListener, config: ApiConfig): Promise<Listening> {
  const server = createServer(
    {
      headersTimeout: config.HEADERS_TIMEOUT_MS,
      requestTimeout: config.REQUEST_TIMEOUT_MS,
      // how often the two timeouts above are checked (default 30 s)
      connectionsCheckingInterval: Math.min(1_000, config.HEADERS_TIMEOUT_MS),
    },
    app,
  );
  const connections = guardConnections(server);
  // Longer than typical load balancer idle timeouts, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // A rush opens thousands of connections at once; the default queue of 511 would drop some.
    server.listen({ port: config.PORT, host: config.HOST, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;

  const drain = async () => {
    const drainStarted = performance.now();
    const idleSweep = setInterval(() => {
      server.closeIdleConnections();
      if (performance.now() - drainStarted >= DRAIN_GRACE_MS) connections.sweep();
    }, 100);
    try {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } finally {
      clearInterval(idleSweep);
    }
  };
  return { server, url: `http://${shownHost}:${port}`, drain };
}
