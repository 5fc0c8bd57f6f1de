/**
 * The likes' floor (issue 14): what a like costs on this machine with socket.io and one durable
 * write, and nothing of Tidings. Tidings' socket.io version and options (createSocketServer), the
 * author's sockets in `user:<id>` at the handshake, and per `POST /api/posts/:id/like` (bearer
 * token, as the bench's likers send it): the token and the post looked up in Maps, one journal
 * line about the like (the fields and about the size of Tidings' line for one, ~340 bytes) into a
 * group commit, and once the write holding it returned, ONE `notification:new` shaped like
 * Tidings' `post_liked` item to the author's room, then the answer.
 *
 * The group commit is the minimum of Tidings' (server/store/lowdb/groupCommit.ts, window 0): the
 * first like waits for the end of its turn of the event loop (setImmediate), then ONE write
 * carries every like so far; likes that come while it is in flight go out together in the next.
 * The journal is opened once, with O_DSYNC in durability `power` (as server/store/lowdb/journal.ts
 * does) and plainly in `kill9`. Not here: the path's re-check before each append, a torn line's
 * repair, snapshots and folds, duplicate likes, unread counts, express, metrics.
 *
 *   node --import tsx bench/likesFloor.ts <data.json> <journal> <power|kill9>
 *
 * data.json: { users: [token, userId, name][], posts: [postId, authorId, title][] }. Prints
 * `listening on http://127.0.0.1:<port>` like the real server. `GET /floor-stats` answers its own
 * figures since the last call (each write's time, likes per write, event-loop delay) and starts
 * them again, as a scrape of Tidings' /metrics resets its lag histogram.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { postPagePath, type LikeResponse, type NotificationItem } from '../contract/wire.js';
import { userRoom } from '../server/realtime/socketServer.js';
import { serveBareSocketIo } from './bareSocketServer.js';
import { summarize } from './stats.js';

export interface LikesFloorData {
  users: [token: string, id: string, name: string][];
  posts: [id: string, authorId: string, title: string][];
}

/** What `GET /floor-stats` answers. */
export interface LikesFloorStats {
  likes: number;
  writes: number;
  /** Each write's time from its call to its return, in ms. */
  writeMs: { p50: number; p99: number; max: number };
  /**
   * Each like's time in the floor, from its request's handler to its emit, in ms: what of the
   * like → author time is the server's (its loop, the group commit, the disk), not the likers',
   * the author client's or the network's.
   */
  inServerMs: { p50: number; p99: number; max: number };
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
}

const [dataFile, journalPath, durability] = process.argv.slice(2);
if (!dataFile || !journalPath || (durability !== 'power' && durability !== 'kill9')) {
  throw new Error('usage: likesFloor.ts <data.json> <journal> <power|kill9>');
}
const data = JSON.parse(await readFile(dataFile, 'utf8')) as LikesFloorData;
const users = new Map(data.users.map(([token, id, name]) => [token, { id, name }]));
const posts = new Map(
  data.posts.map(([id, authorId, title]) => [id, { authorId, title, likes: 0 }]),
);

const O_DSYNC: number | undefined = constants.O_DSYNC;
if (durability === 'power' && O_DSYNC === undefined) throw new Error('no O_DSYNC here');
const journal = await open(
  journalPath,
  constants.O_WRONLY |
    constants.O_APPEND |
    constants.O_CREAT |
    (durability === 'power' ? (O_DSYNC ?? 0) : 0),
);

interface Pending {
  line: string;
  item: NotificationItem;
  authorId: string;
  res: ServerResponse;
  body: string;
  arrived: number;
}

let waiting: Pending[] = [];
let scheduled = false;
let inFlight = false;
let writeMs: number[] = [];
let inServerMs: number[] = [];
let likes = 0;
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();

function schedule(): void {
  if (scheduled || inFlight || waiting.length === 0) return;
  scheduled = true;
  setImmediate(() => void writeBatch());
}

async function writeBatch(): Promise<void> {
  scheduled = false;
  inFlight = true;
  const batch = waiting;
  waiting = [];
  const bytes = Buffer.from(batch.map((like) => like.line).join(''));
  const started = performance.now();
  try {
    // write() may store part of a buffer; the rest follows (it never does for a few KB here).
    for (let done = 0; done < bytes.length;) {
      done += (await journal.write(bytes, done)).bytesWritten;
    }
  } catch (error) {
    for (const like of batch) like.res.writeHead(500).end();
    console.error(`the floor's write failed: ${String(error)}`);
    inFlight = false;
    schedule();
    return;
  }
  inFlight = false;
  writeMs.push(performance.now() - started);
  likes += batch.length;
  for (const like of batch) {
    io.to(userRoom(like.authorId)).emit('notification:new', like.item);
    inServerMs.push(performance.now() - like.arrived);
    like.res.writeHead(200, { 'content-type': 'application/json' }).end(like.body);
  }
  schedule();
}

let seq = 0;
const newId = (): string => randomBytes(12).toString('base64url');
const LIKE_PATH = /^\/api\/posts\/([^/]+)\/like$/;

const http = createServer((req, res) => {
  const arrived = performance.now();
  if (req.method === 'GET' && req.url === '/floor-stats') {
    const summary = summarize(writeMs);
    const inServer = summarize(inServerMs);
    const stats: LikesFloorStats = {
      likes,
      writes: writeMs.length,
      writeMs: { p50: summary.p50, p99: summary.p99, max: summary.max },
      inServerMs: { p50: inServer.p50, p99: inServer.p99, max: inServer.max },
      eventLoopP99Ms: loop.percentile(99) / 1e6,
      eventLoopMaxMs: loop.max / 1e6,
    };
    writeMs = [];
    inServerMs = [];
    likes = 0;
    loop.reset();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
    return;
  }
  const match = req.method === 'POST' ? LIKE_PATH.exec(req.url ?? '') : null;
  if (!match?.[1]) {
    res.writeHead(404).end();
    return;
  }
  const liker = users.get(req.headers.authorization?.replace(/^Bearer /, '') ?? '');
  if (liker === undefined) {
    res.writeHead(401).end();
    return;
  }
  const postId = decodeURIComponent(match[1]);
  const post = posts.get(postId);
  if (post === undefined) {
    res.writeHead(404).end();
    return;
  }
  seq += 1;
  post.likes += 1;
  const createdAt = new Date().toISOString();
  const id = newId();
  const item: NotificationItem = {
    id,
    seq,
    type: 'post_liked',
    message: `${liker.name} liked “${post.title}”`,
    post: {
      id: postId,
      title: post.title,
      url: `http://${req.headers.host ?? '127.0.0.1'}${postPagePath(postId)}`,
    },
    actor: { id: liker.id, name: liker.name },
    createdAt,
    read: false,
  };
  // The fields of Tidings' journal line for a like: the like, and the author's event.
  const line = `${JSON.stringify({
    like: [postId, liker.id],
    event: {
      seq,
      id,
      createdAt,
      type: 'post_liked',
      audience: { kind: 'user', userId: post.authorId },
      actorId: liker.id,
      postId,
      postTitle: post.title,
      actorName: liker.name,
    },
  })}\n`;
  const body: LikeResponse = { liked: true, likeCount: post.likes };
  waiting.push({
    line,
    item,
    authorId: post.authorId,
    res,
    body: JSON.stringify(body),
    arrived,
  });
  // The request's body (none) is not read: the likers send none.
  req.resume();
  schedule();
});

// The author's sockets in `user:<id>`, as Tidings puts them.
const io = serveBareSocketIo(http, {
  userOf: (token) => users.get(token)?.id,
  roomOf: userRoom,
  upToSeq: () => seq,
  port: 0,
  beforeExit: () => journal.close(),
});
