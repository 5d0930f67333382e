import { connect } from 'node:net';

/**
 * A topic's id (KIP-516), as Kafka's own tools print it (URL-safe base64 of its 16 bytes). A
 * topic deleted and created again under the same name gets a new one, while its offsets start
 * again at 0: the id tells which log a stored offset belongs to.
 *
 * kafkajs 2.2 speaks Metadata up to v6, which has no topic ids (they came with v10), so this asks
 * the broker itself: one Metadata v12 request on a connection of its own. The project's clients
 * connect in plaintext without SASL, as this does.
 */
export class TopicIdError extends Error {
  override readonly name = 'TopicIdError';
}

const METADATA = 3;
const VERSION = 12;
const UNKNOWN_TOPIC_OR_PARTITION = 3;

function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** A whole Metadata v12 request for one topic by name, its 4-byte size first. */
export function encodeTopicIdRequest(topic: string, clientId: string, correlationId: number): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(METADATA, 0);
  header.writeInt16BE(VERSION, 2);
  header.writeInt32BE(correlationId, 4);
  header.writeInt16BE(Buffer.byteLength(clientId), 8);
  const name = Buffer.from(topic);
  const body = Buffer.concat([
    header,
    Buffer.from(clientId),
    uvarint(0), // request header tags
    uvarint(2), // one topic (compact arrays count n + 1)
    Buffer.alloc(16), // topic_id: zero, the topic is asked for by name
    uvarint(name.length + 1),
    name,
    uvarint(0),
    Buffer.from([0, 0]), // allow_auto_topic_creation, include_topic_authorized_operations
    uvarint(0),
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length, 0);
  return Buffer.concat([size, body]);
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  int8 = () => this.take(1).readInt8(0);
  int16 = () => this.take(2).readInt16BE(0);
  int32 = () => this.take(4).readInt32BE(0);
  take(n: number): Buffer {
    if (this.at + n > this.buf.length) throw new TopicIdError('truncated Metadata response');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.take(1)[0] ?? 0;
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return value;
    }
    throw new TopicIdError('malformed varint in Metadata response');
  }
  string(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.take(n - 1).toString('utf8');
  }
  skipTags(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.take(this.uvarint());
    }
  }
  array(each: () => void): void {
    for (let n = this.uvarint() - 1; n > 0; n--) each();
  }
}

/** The topic's id from a Metadata v12 response (without its size prefix). */
export function decodeTopicIdResponse(response: Buffer, topic: string, correlationId: number): string {
  const r = new Reader(response);
  if (r.int32() !== correlationId) throw new TopicIdError('Metadata response for another request');
  r.skipTags();
  r.int32(); // throttle_time_ms
  r.array(() => {
    r.int32();
    r.string();
    r.int32();
    r.string();
    r.skipTags();
  });
  r.string(); // cluster_id
  r.int32(); // controller_id
  let found: string | undefined;
  let error = 0;
  r.array(() => {
    const code = r.int16();
    const name = r.string();
    const id = Buffer.from(r.take(16));
    r.int8();
    r.array(() => {
      r.int16();
      r.int32();
      r.int32();
      r.int32();
      for (let list = 0; list < 3; list++) r.array(() => r.int32());
      r.skipTags();
    });
    r.int32();
    r.skipTags();
    if (name !== topic) return;
    error = code;
    found = id.toString('base64url');
  });
  if (error === UNKNOWN_TOPIC_OR_PARTITION) throw new TopicIdError(`topic ${topic} does not exist`);
  if (error !== 0) throw new TopicIdError(`the broker answered error code ${error} for topic ${topic}`);
  if (found === undefined || found === 'AAAAAAAAAAAAAAAAAAAAAA') throw new TopicIdError(`the broker told no id for topic ${topic}`);
  return found;
}

function askOne(broker: string, request: Buffer, timeoutMs: number): Promise<Buffer> {
  const colon = broker.lastIndexOf(':');
  const host = broker.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(broker.slice(colon + 1));
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let received = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(timeoutMs, () => fail(new TopicIdError(`no Metadata answer from ${broker} within ${timeoutMs} ms`)));
    socket.on('error', fail);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      socket.destroy();
      resolve(received.subarray(4, 4 + size));
    });
    socket.on('close', () => reject(new TopicIdError(`${broker} closed the connection before answering Metadata v12`)));
  });
}

let correlation = 0;

/** Asks the brokers in turn until one tells the topic's id. */
export async function fetchTopicId(brokers: readonly string[], topic: string, clientId: string, timeoutMs = 5_000): Promise<string> {
  let last: unknown = new TopicIdError('no broker to ask');
  for (const broker of brokers) {
    const correlationId = (correlation = (correlation + 1) % 0x7fffffff);
    try {
      return decodeTopicIdResponse(await askOne(broker, encodeTopicIdRequest(topic, clientId, correlationId), timeoutMs), topic, correlationId);
    } catch (err) {
      // a broker that answered for the topic has said all there is to say
      if (err instanceof TopicIdError && /does not exist|error code|no id/.test(err.message)) throw err;
      last = err;
    }
  }
  throw last;
}
