import cluster from 'node:cluster';
import { createServer } from 'node:http';

/**
 * The floor under every HTTP figure: node:http alone, in as many processes as the bench's API
 * (WORKERS), reading the JSON body and answering the same 202 envelope as the express no-op
 * route, with nothing else in the way. Run as a process of its own: PORT=… WORKERS=… bench/bare-noop.ts
 */
const port = Number(process.env.PORT);
const workers = Number(process.env.WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  process.on('SIGTERM', () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let received = false;
      try {
        received = JSON.parse(Buffer.concat(chunks).toString('utf8')) !== undefined;
      } catch {
        received = false;
      }
      const json = JSON.stringify({ success: true, message: 'noop', data: { received } });
      res.writeHead(202, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
      res.end(json);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen({ port, host: '127.0.0.1', backlog: 4_096 });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
