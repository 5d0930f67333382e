import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/** /healthz, /readyz and /metrics for processes that serve no API (consumer, aggregator). */
export interface Readiness {
  readonly ready: boolean;
  /** Why not ready (or not advancing), for the person reading /readyz. */
  readonly problem: string | null;
}

export async function startOpsServer(host: string, port: number, registry: Registry, readiness: () => Readiness): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.url === '/healthz') return send(200, 'application/json', '{"status":"ok"}');
    if (req.url === '/readyz') {
      const { ready, problem } = readiness();
      return ready ? send(200, 'application/json', '{"status":"ready"}') : send(503, 'application/json', JSON.stringify({ status: 'not ready', problem }));
    }
    if (req.url === '/metrics') {
      registry.metrics().then(
        (text) => send(200, registry.contentType, text),
        (err: unknown) => send(500, 'text/plain', String(err)),
      );
      return;
    }
    send(404, 'application/json', '{"status":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
