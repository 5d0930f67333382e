import { once } from 'node:events';
import { createConnection, createServer, type Socket } from 'node:net';
import { freePort } from './process.js';

/**
 * A TCP hop between one process and the database server, for network faults the server itself
 * cannot produce on cue: nothing listening (connections refused), or an answer lost on the way
 * back. Everything else passes through byte for byte.
 */
export interface DbProxy {
  /** The port to give the process as DB_PORT. */
  readonly port: number;
  /** Start accepting connections and forwarding them to the server. */
  open(): Promise<void>;
  /** Stop listening (new connections are refused) and cut the connections that are open. */
  refuse(): Promise<void>;
  /**
   * The next COMMIT is forwarded and executed by the server, but its answer never reaches the
   * client: the connection is cut instead. Resolves once that happened.
   */
  loseNextCommitAck(): Promise<void>;
  close(): Promise<void>;
}

const COM_QUERY = 0x03;

/** Starts refusing: call open() to let connections through. */
export async function startDbProxy(serverHost: string, serverPort: number): Promise<DbProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let commitArmed: (() => void) | undefined;

  const server = createServer((client) => {
    const upstream = createConnection({ host: serverHost, port: serverPort });
    sockets.add(client).add(upstream);
    const cut = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);

    let pending = Buffer.alloc(0);
    let cutOnReply: (() => void) | undefined;
    // Client packets: 3-byte length, 1-byte sequence, payload. A command starts a new sequence
    // (0); the first payload byte names it, and a COM_QUERY carries the statement as text.
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const length = pending.readUIntLE(0, 3);
        if (pending.length < 4 + length) break;
        const payload = pending.subarray(4, 4 + length);
        if (commitArmed && pending[3] === 0 && payload[0] === COM_QUERY && /^\s*COMMIT\b/i.test(payload.subarray(1).toString('latin1'))) {
          cutOnReply = commitArmed;
          commitArmed = undefined;
        }
        pending = pending.subarray(4 + length);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cutOnReply) {
        cut();
        cutOnReply();
        cutOnReply = undefined;
        return;
      }
      client.write(chunk);
    });
  });

  const refuse = async () => {
    for (const s of sockets) s.destroy();
    sockets.clear();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    port,
    open: async () => {
      if (server.listening) return;
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    refuse,
    loseNextCommitAck: () => new Promise<void>((resolve) => (commitArmed = resolve)),
    close: refuse,
  };
}
