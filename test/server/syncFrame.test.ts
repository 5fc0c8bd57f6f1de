/**
 * A socket's `sync` goes out over WebSocket as a frame the server builds in one step
 * (server/realtime/syncFrame.ts, issue 14); over long-polling it is socket.io's plain emit. Both
 * must put the same bytes on the wire as the plain emit: a raw WebSocket client reads the frame
 * as it came off the TCP connection, a raw polling client the packet, and each is compared with
 * what socket.io's encoder and ws's framing make of the same payload.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Encoder, PacketType } from 'socket.io-parser';
import { textFrameHeader } from '../../server/realtime/syncFrame.js';
import {
  listNotifications,
  markRead,
  publish,
  signUp,
  subscribe,
  type TestUser,
} from '../fixtures/api.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}
/** ws's own framing, the one its `send` uses for the plain emit (not in ws's typings). */
const { Sender } = createRequire(import.meta.url)('ws') as {
  Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] };
};
const wsFrame = (payload: Buffer): Buffer =>
  Buffer.concat(
    Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false }),
  );

const SYNC_PACKET = '42["sync",';

/** One frame a server wrote (never masked), split from the bytes after the upgrade's reply. */
function splitFrame(bytes: Buffer): { frame: Buffer; payload: Buffer } | undefined {
  if (bytes.length < 2) return undefined;
  const short = (bytes[1] ?? 0) & 0x7f;
  const headerLength = short === 126 ? 4 : short === 127 ? 10 : 2;
  if (bytes.length < headerLength) return undefined;
  const length =
    short === 126 ? bytes.readUInt16BE(2) : short === 127 ? bytes.readUIntBE(4, 6) : short;
  if (bytes.length < headerLength + length) return undefined;
  return {
    frame: bytes.subarray(0, headerLength + length),
    payload: bytes.subarray(headerLength, headerLength + length),
  };
}

/** A client's text frame: clients must mask what they send (RFC 6455 §5.3). */
function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  assert.ok(payload.length < 126, 'a short frame is enough for the CONNECT');
  const mask = randomBytes(4);
  const masked = payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0));
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, masked]);
}

/** The `sync` frame's bytes as a raw WebSocket client receives them after its CONNECT. */
async function syncOverWebSocket(port: number, token: string): Promise<Buffer> {
  const socket: Socket = connect(port, '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
        'Upgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
        'Sec-WebSocket-Version: 13\r\n\r\n',
    );
    return await new Promise<Buffer>((resolve, reject) => {
      let received = Buffer.alloc(0);
      let upgraded = false;
      socket.once('close', () => reject(new Error('the server closed before sync')));
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (!upgraded) {
          const end = received.indexOf('\r\n\r\n');
          if (end < 0) return;
          assert.match(received.subarray(0, end).toString('latin1'), /^HTTP\/1\.1 101 /);
          received = received.subarray(end + 4);
          upgraded = true;
        }
        for (let next = splitFrame(received); next; next = splitFrame(received)) {
          received = received.subarray(next.frame.length);
          const text = next.payload.toString();
          // Engine.IO's open packet: the socket.io CONNECT with the token follows.
          if (text.startsWith('0{'))
            socket.write(maskedTextFrame(`40${JSON.stringify({ token })}`));
          if (text.startsWith(SYNC_PACKET)) resolve(Buffer.from(next.frame));
        }
      });
    });
  } finally {
    socket.destroy();
  }
}

/** The `sync` packet's text as a raw long-polling client receives it after its CONNECT. */
async function syncOverPolling(url: string, token: string): Promise<string> {
  const engine = `${url}/socket.io/?EIO=4&transport=polling`;
  const open = await (await fetch(engine)).text();
  const { sid } = JSON.parse(open.slice(1)) as { sid: string };
  const poll = `${engine}&sid=${sid}`;
  const connected = await fetch(poll, { method: 'POST', body: `40${JSON.stringify({ token })}` });
  assert.equal(await connected.text(), 'ok');
  for (let polls = 0; polls < 10; polls++) {
    // A poll's body holds every packet waiting, separated by the record separator.
    const packets = (await (await fetch(poll)).text()).split('\x1e');
    const sync = packets.find((packet) => packet.startsWith(SYNC_PACKET));
    if (sync !== undefined) return sync;
  }
  throw new Error('no sync in 10 polls');
}

/** What socket.io's encoder writes for `emit('sync', payload)`, Engine.IO's message type first. */
function plainEmit(payload: unknown): string {
  const [encoded] = new Encoder().encode({
    type: PacketType.EVENT,
    nsp: '/',
    data: ['sync', payload],
  });
  assert.equal(typeof encoded, 'string');
  return `4${String(encoded)}`;
}

describe('the sync frame', () => {
  let server: RunningServer;
  let ben: TestUser;

  before(async () => {
    server = await startServer();
    const ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
    await subscribe(server.url, ben.token);
    // Two-byte text and a surrogate pair: their UTF-8 is longer than the string.
    await publish(server.url, ana.token, 'Plain ASCII');
    await publish(server.url, ana.token, 'Ünïcödé “quoted” — 🎉');
    await publish(server.url, ana.token, `A long one ${'x'.repeat(180)}`);
    const [newest] = (await listNotifications(server.url, ben.token)).items;
    assert.ok(newest);
    await markRead(server.url, ben.token, { ids: [newest.id] });
  });

  after(async () => {
    assert.equal(await server.stop(), 0);
    await server.cleanup();
  });

  it('is byte for byte the plain emit, over WebSocket and over long-polling', async () => {
    const overWebSocket = await syncOverWebSocket(server.port, ben.token);
    const overPolling = await syncOverPolling(server.url, ben.token);

    const payload = JSON.parse(overPolling.slice(2))[1] as { items: { read: boolean }[] };
    assert.deepEqual(
      payload.items.map((item) => item.read),
      [false, false, true],
      'the sync holds the three posts, the newest read',
    );
    assert.equal(overPolling, plainEmit(payload), 'polling: socket.io encoder');
    assert.deepEqual(overWebSocket, wsFrame(Buffer.from(overPolling)), 'WebSocket: ws framing');
  });

  it('frames a payload of any length as ws does', () => {
    for (const length of [0, 1, 125, 126, 127, 1_000, 65_535, 65_536, 70_000]) {
      const payload = Buffer.alloc(length, 'a');
      assert.deepEqual(
        Buffer.concat([textFrameHeader(length), payload]),
        wsFrame(payload),
        `${length} bytes`,
      );
    }
  });
});
