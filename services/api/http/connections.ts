import { maxHeaderSize, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { httpStatusOf, type ErrorCode } from './errors.js';

/**
 * Connection handling below express: oversized headers get a JSON 431 instead of a reset, and on
 * shutdown connections that carry no fully received request are closed, so a client that never
 * finishes its body cannot hold a graceful stop hostage.
 */
export interface ConnectionGuard {
  /** Call repeatedly while draining: closes connections without a fully received request in flight. */
  sweep(): void;
}

const LINGER_MS = 2_000;

function rawError(code: ErrorCode, message: string): string {
  const status = httpStatusOf(code);
  const reason = STATUS_CODES[status] ?? '';
  const body = JSON.stringify({ success: false, message, errorCode: code, data: null });
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export function guardConnections(server: Server): ConnectionGuard {
  const current = new Map<Socket, IncomingMessage | undefined>();
  server.on('connection', (socket: Socket) => {
    current.set(socket, undefined);
    socket.once('close', () => current.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res) => {
    current.set(req.socket, req);
    res.once('close', () => {
      if (current.get(req.socket) === req) current.set(req.socket, undefined);
    });
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    let answer = 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      answer = rawError('HEADERS_TOO_LARGE', `the request headers exceed ${maxHeaderSize} bytes`);
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      answer = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';
    }
    // Answer, then read and discard what the client is still sending until it closes: closing
    // with unread data would reset the connection before the client reads the answer.
    socket.end(answer);
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  });
  return {
    sweep() {
      for (const [socket, req] of current) {
        if (req === undefined || !req.complete) socket.destroy();
      }
    },
  };
}
