/**
 * A socket's `sync`, handed to engine.io as a WebSocket frame built in one step (issue 14: in a
 * reconnect storm every socket gets one, thousands a second). `socket.emit('sync', payload)`
 * pays socket.io's encoder (a walk of the payload for binary parts, then the JSON), engine.io's
 * packet prefix and ws's `send` (the text's UTF-8 length, then its conversion in the write); here
 * the JSON is made once and turned into bytes once. The wire is byte for byte what the plain emit
 * writes (test/server/syncFrame.test.ts). On HTTP long-polling there is no frame to build:
 * the plain emit.
 */
import type { SyncPayload } from '../../contract/wire.js';
import type { TidingsSocket } from './socketServer.js';

/**
 * engine.io's write options with the one it reads but does not declare (engine.io 6.6,
 * build/transports/websocket.js `_canSendPreEncodedFrame`; its SendOptions has `compress`
 * only): its WebSocket transport hands `wsPreEncodedFrame` to ws's `sender.sendFrame` as it is
 * (header, then payload), and every other transport ignores it and encodes the packet's data.
 * socket.io's own broadcasts use it the same way (socket.io-adapter, `_encode`).
 */
interface PreEncodedWrite {
  compress: boolean;
  wsPreEncodedFrame: readonly [header: Buffer, payload: Buffer];
}

/** RFC 6455 §5.2: FIN and the text opcode, then the payload's length; a server never masks. */
export function textFrameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 0x10000) {
    const header = Buffer.from([0x81, 126, 0, 0]);
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.from([0x81, 127, 0, 0, 0, 0, 0, 0, 0, 0]);
  header.writeUIntBE(length, 4, 6);
  return header;
}

export function emitSync(socket: TidingsSocket, payload: SyncPayload): void {
  const { conn } = socket;
  if (conn.transport.name !== 'websocket' || socket.nsp.name !== '/') {
    socket.emit('sync', payload);
    return;
  }
  // socket.io drops a write to a connection that is closing too (Client#_packet).
  if (conn.readyState !== 'open') return;
  // What socket.io's encoder writes for this emit on the main namespace: EVENT (2), then the
  // arguments as JSON (the payload holds no binary, and `sync` asks no ack); engine.io puts
  // its message type (4) in front.
  const packet = `2${JSON.stringify(['sync', payload])}`;
  const frame = Buffer.from(`4${packet}`);
  const write: PreEncodedWrite = {
    compress: true,
    wsPreEncodedFrame: [textFrameHeader(frame.length), frame],
  };
  conn.write(packet, write);
}
