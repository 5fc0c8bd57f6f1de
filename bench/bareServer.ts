/**
 * The floor (issue 14): a bare socket.io server with Tidings' own socket.io version and options
 * (server/realtime/socketServer.ts builds both), a device token looked up in a Map at the
 * handshake, every socket in one room, and per `POST /api/posts` ONE `io.to(room).emit` of an
 * item shaped and sized like Tidings' (about 340 bytes). No storage, no unread counts, no express.
 * Whatever Tidings spends beyond this per post is Tidings' own.
 *
 *   node --import tsx bench/bareServer.ts <tokens.json> [port]    (tokens.json: [[token, userId], ...])
 *
 * Prints `listening on http://127.0.0.1:<port>` like the real server, so the bench drives both
 * the same way. The `sync` each socket gets on connecting is empty: the bench's clients wait for
 * it to know they are in; it is not part of the measured broadcast.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import { API, type NotificationItem } from '../contract/wire.js';
import { serveBareSocketIo } from './bareSocketServer.js';

const ROOM = 'subscribers';
const AUTHOR = { id: 'bench-author-000', name: 'user0' };

const tokensFile = process.argv[2];
if (!tokensFile) throw new Error('usage: bareServer.ts <tokens.json> [port]');
/** A fixed port brings it back where its clients reconnect (the storm's floor); 0 picks one. */
const port = Number(process.argv[3] ?? 0);
const tokens = new Map<string, string>(
  JSON.parse(await readFile(tokensFile, 'utf8')) as [string, string][],
);

let seq = 0;
const newId = (): string => randomBytes(12).toString('base64url');

/** The same fields and about the same lengths as a Tidings `new_post` notification. */
function itemFor(title: string, origin: string): NotificationItem {
  seq += 1;
  const postId = newId();
  return {
    id: newId(),
    seq,
    type: 'new_post',
    message: `${AUTHOR.name} published “${title}”`,
    post: { id: postId, title, url: `${origin}/posts/${postId}` },
    actor: AUTHOR,
    createdAt: new Date().toISOString(),
    read: false,
  };
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== API.posts) {
    res.writeHead(404).end();
    return;
  }
  const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
  if (!tokens.has(token)) {
    res.writeHead(401).end();
    return;
  }
  body(req).then(
    (text) => {
      const { title } = JSON.parse(text) as { title: string };
      const item = itemFor(title, `http://${req.headers.host ?? '127.0.0.1'}`);
      io.to(ROOM).emit('notification:new', item);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(item));
    },
    () => res.writeHead(400).end(),
  );
});

const io = serveBareSocketIo(http, {
  userOf: (token) => tokens.get(token),
  roomOf: () => ROOM,
  upToSeq: () => seq,
  port,
});
