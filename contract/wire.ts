/**
 * The wire contract between the Tidings server and every client (tray app, blog pages, tests,
 * third-party scripts). Event names, payload shapes, limits and error codes are declared here ONCE;
 * the server, main/ and the tests import them, nobody redeclares them. docs/PROTOCOL.md explains
 * them in prose with examples.
 *
 * Schemas (zod) are the single source of truth for anything a peer sends us; the TypeScript types
 * are inferred from them so the two can never drift apart.
 */
import { z } from 'zod';

/** Bumped on any incompatible change; clients compare it with `/healthz` and `sync`. */
export const PROTOCOL_VERSION = 2;

// ---------------------------------------------------------------------------------------------
// Limits. Shared so clients can validate before sending and tests can probe the edges.
// ---------------------------------------------------------------------------------------------
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  passwordMin: 8,
  passwordMax: 200,
  deviceNameMax: 64,
  titleMax: 200,
  /** An announcement's optional text. */
  announcementTextMax: 1_000,
  bodyMax: 50_000,
  /** Characters of a post's plain-text excerpt (lists carry it instead of the body). */
  excerptMax: 220,
  /** Default and max page size for post lists; a bigger `limit` is refused. */
  postPageDefault: 20,
  postPageMax: 50,
  /** The one-time code that lets the first account become admin (see setupCode). */
  setupCodeMax: 100,
  /** Max ids in one mark-read call. */
  markReadIdsMax: 500,
  /** Default and max page size for notification lists. */
  pageDefault: 50,
  pageMax: 200,
  /** Max items in the `sync` reply on connect; beyond it `truncated` is true. */
  syncMax: 200,
  /** HTTP JSON body limit, in bytes. */
  httpBodyBytes: 64 * 1024,
  /** socket.io max message size, in bytes (maxHttpBufferSize). */
  socketMessageBytes: 16 * 1024,
} as const;

// ---------------------------------------------------------------------------------------------
// Errors: a stable code to switch on and a human message to show.
// ---------------------------------------------------------------------------------------------
export const ERROR_CODES = [
  'unauthorized', // no, bad, expired or revoked token; wrong password
  'forbidden', // authenticated but not allowed (not an author, not an admin, not your post)
  'not_found',
  'invalid_payload', // failed schema validation or malformed JSON
  'payload_too_large',
  'conflict', // e.g. username taken
  'invalid_text', // a title, username or device name with control characters or bidi overrides
  'registration_closed',
  'rate_limited',
  'server_busy', // too many clients catching up at once: retry after `retryAfterMs`
  'storage_unavailable', // the write did not reach the disk (disk full, read-only): nothing changed
  'internal',
] as const;
export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export interface WireError {
  code: ErrorCode;
  message: string;
}

/** HTTP error bodies are always `{ error: WireError }`. */
export interface HttpErrorBody {
  error: WireError;
}

/** Socket acks: success carries data, failure carries a WireError. */
export type Ack<T extends object> = ({ ok: true } & T) | { ok: false; error: WireError };

// ---------------------------------------------------------------------------------------------
// Domain objects as they travel on the wire.
// ---------------------------------------------------------------------------------------------
export const NOTIFICATION_TYPES = ['new_post', 'post_liked', 'announcement'] as const;
export const NotificationTypeSchema = z.enum(NOTIFICATION_TYPES);
export type NotificationType = z.infer<typeof NotificationTypeSchema>;

export interface PublicUser {
  id: string;
  username: string;
  isAdmin: boolean;
  isAuthor: boolean;
  subscribed: boolean;
  createdAt: string;
}

export interface PostSummary {
  id: string;
  title: string;
  /** Absolute URL of the post's page on the server that issued it. */
  url: string;
}

export interface Actor {
  id: string;
  name: string;
}

/** Where a post imported from another blog's feed came from. */
export interface PostSource {
  feedTitle: string;
  /** The original article. */
  url: string;
}

/** A post as lists carry it: the excerpt, not the body (`GET /api/posts/:id` has the body). */
export interface PostListItem extends PostSummary {
  /** Plain text, never HTML: the first words of the body without Markdown syntax. */
  excerpt: string;
  /** Only on a post imported from another blog's feed. */
  source?: PostSource;
  author: Actor;
  likeCount: number;
  /** Whether the caller likes it; false for anonymous callers. */
  likedByMe: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Post extends PostListItem {
  /** Markdown source; for an imported post (`source` set), sanitised HTML. */
  body: string;
}

/** What every notification carries, whatever its type. */
interface NotificationBase {
  /** Unique per notification; stable across devices and reconnects. De-duplicate on it. */
  id: string;
  /** Increases with every notification a user can see; `since` and `before` take it. */
  seq: number;
  /** Plain text, never HTML. */
  message: string;
  /** Who caused it: the author, the liker, or the admin who sent an announcement. */
  actor: Actor;
  createdAt: string;
  read: boolean;
}

/**
 * A new post or a like. `post.url` is the post's page, except for a post imported from another
 * blog's feed, where it is the original article's link.
 */
export interface PostNotificationItem extends NotificationBase {
  type: 'new_post' | 'post_liked';
  post: PostSummary;
}

/** A notice an admin sent (protocol 2). Plain text; `url`, when present, is an http(s) link. */
export interface Announcement {
  title: string;
  text?: string;
  url?: string;
}

export interface AnnouncementItem extends NotificationBase {
  type: 'announcement';
  announcement: Announcement;
}

/** Switch on `type`: clients that know protocol 1 only ever saw the post types. */
export type NotificationItem = PostNotificationItem | AnnouncementItem;

/** The item's headline: the post's title or the announcement's. */
export function titleOf(item: NotificationItem): string {
  return item.type === 'announcement' ? item.announcement.title : item.post.title;
}

/** Where a click on the item leads; undefined means "open the inbox" (an announcement without a link). */
export function linkOf(item: NotificationItem): string | undefined {
  return item.type === 'announcement' ? item.announcement.url : item.post.url;
}

// ---------------------------------------------------------------------------------------------
// Socket.io: handshake and events.
// ---------------------------------------------------------------------------------------------
/** Unknown fields are refused (`invalid_payload`), as in every other payload. */
export const HandshakeAuthSchema = z.strictObject({
  token: z.string().min(1).max(200),
  /** The highest `seq` the client has seen; the server replies with what came after it. */
  since: z.number().int().min(0).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuthSchema>;

/**
 * `connect_error` carries `err.data` of this shape; `err.message` is the human message.
 * `server_busy` carries `retryAfterMs`: when to try again (jittered by the server).
 */
export type ConnectErrorData = WireError & { retryAfterMs?: number };

export const MarkReadRequestSchema = z.union([
  z.strictObject({
    ids: z.array(z.string().min(1).max(100)).min(1).max(LIMITS.markReadIdsMax),
  }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkReadRequest = z.infer<typeof MarkReadRequestSchema>;

export const ListRequestSchema = z.strictObject({
  /** Return items with seq strictly below this; omit for the newest. */
  before: z.number().int().min(1).optional(),
  limit: z.number().int().min(1).max(LIMITS.pageMax).optional(),
});
export type ListRequest = z.infer<typeof ListRequestSchema>;

/**
 * An unread count and the seq it covers: it counts every unread item up to `upToSeq`. A client
 * holds it and adds one per unread `notification:new` with a higher seq (protocol 2: the server
 * no longer sends a count after each new item). `unreadCount`, as in acks and HTTP replies
 * (protocol 1 called it `count`).
 */
export interface UnreadCountPayload {
  unreadCount: number;
  upToSeq: number;
}

/**
 * Read state changed on another device (or the web page). `all` carries `upToSeq`, so an item
 * after the mark-all stays unread everywhere, and one at or below it is read, even when its push
 * arrives after this event.
 */
export type ReadChangePayload = { ids: string[] } | { all: true; upToSeq: number };

export interface SyncPayload {
  /** Items with seq > `since`, oldest first. Without `since`, the newest page. */
  items: NotificationItem[];
  /** Unread items up to `upToSeq`; every later item arrives as `notification:new`, once. */
  unreadCount: number;
  upToSeq: number;
  /** True when more items came after `since` than fit: fetch older ones with `notification:list`. */
  truncated: boolean;
  protocolVersion: number;
}

/** A page of `notification:list`, newest first. `hasMore`: older items exist below the last. */
export interface NotificationPage {
  items: NotificationItem[];
  hasMore: boolean;
}

/**
 * The mark-read ack: the new count and the seq it covers, as in `UnreadCountPayload`. A mark-all
 * also says how far it marked, `readUpToSeq`: an item at or below it that reaches this socket
 * after the ack is read too. With several nodes a post published on another node can be pushed
 * here after a mark-all that already covered it (docs/PROTOCOL.md). `upToSeq` cannot stand in:
 * the count can cover an item committed after the mark, which is unread.
 */
export interface MarkReadAck {
  unreadCount: number;
  upToSeq: number;
  readUpToSeq?: number;
}

export const SERVER_EVENTS = {
  notificationNew: 'notification:new',
  unreadCount: 'unread:count',
  notificationRead: 'notification:read',
  sync: 'sync',
} as const;

export const CLIENT_EVENTS = {
  markRead: 'notification:mark-read',
  list: 'notification:list',
} as const;

export interface ServerToClientEvents {
  'notification:new': (item: NotificationItem) => void;
  'unread:count': (payload: UnreadCountPayload) => void;
  'notification:read': (payload: ReadChangePayload) => void;
  sync: (payload: SyncPayload) => void;
}

export interface ClientToServerEvents {
  'notification:mark-read': (
    payload: MarkReadRequest,
    ack: (result: Ack<MarkReadAck>) => void,
  ) => void;
  'notification:list': (payload: ListRequest, ack: (result: Ack<NotificationPage>) => void) => void;
}

// ---------------------------------------------------------------------------------------------
// HTTP API: request schemas and response types. Paths live here too, so clients never
// hand-type them.
// ---------------------------------------------------------------------------------------------
export const API = {
  health: '/healthz',
  metrics: '/metrics',
  register: '/api/auth/register',
  login: '/api/auth/login',
  logout: '/api/auth/logout',
  me: '/api/me',
  posts: '/api/posts',
  post: (id: string) => `/api/posts/${encodeURIComponent(id)}`,
  like: (id: string) => `/api/posts/${encodeURIComponent(id)}/like`,
  subscription: '/api/subscription',
  notifications: '/api/notifications',
  unreadCount: '/api/notifications/unread-count',
  markRead: '/api/notifications/read',
  userRoles: (username: string) => `/api/users/${encodeURIComponent(username)}/roles`,
  /** Admins: `DELETE` signs the user out of every device at once. */
  userTokens: (username: string) => `/api/admin/users/${encodeURIComponent(username)}/tokens`,
  announcements: '/api/admin/announcements',
  feeds: '/api/admin/feeds',
  feed: (id: string) => `/api/admin/feeds/${encodeURIComponent(id)}`,
  feedRefresh: (id: string) => `/api/admin/feeds/${encodeURIComponent(id)}/refresh`,
} as const;

/** The public page of a post. Fixed now so URLs handed out stay valid. */
export const postPagePath = (id: string): string => `/posts/${encodeURIComponent(id)}`;
/**
 * Redirects to the original article of a post imported from another blog's feed (404 for any other
 * post). The tray opens this, on the server's own origin, instead of the foreign link itself.
 */
export const postOriginalPath = (id: string): string => `${postPagePath(id)}/original`;

/**
 * Control characters (newlines included) and the bidi overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069) let one line of text pose as another: a title "Invoice\u202Efdp.exe" or with a
 * second line reads differently in a tray notification than it was written.
 */
const SPOOFING_CHARACTERS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
/** Marks the issue, so every edge answers it with `invalid_text` (HTTP 422), not a generic 400. */
export const INVALID_TEXT_ISSUE = 'invalid_text';

/** One line of text people read in a list or a notification: no control or bidi characters. */
export const displayLine = <S extends z.ZodType<string>>(schema: S) =>
  schema.refine((value) => !SPOOFING_CHARACTERS.test(value), {
    message: 'line breaks, control characters and text-direction overrides are not allowed',
    params: { code: INVALID_TEXT_ISSUE },
  });

export const UsernameSchema = displayLine(
  z
    .string()
    .min(LIMITS.usernameMin)
    .max(LIMITS.usernameMax)
    .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, ".", "-" or "_"'),
);

export const RegisterRequestSchema = z.strictObject({
  username: UsernameSchema,
  password: z.string().min(LIMITS.passwordMin).max(LIMITS.passwordMax),
  /**
   * The one-time code the server printed in its log at first start. Needed only while the server
   * has no account: whoever brings it becomes admin and author. Ignored once accounts exist.
   */
  setupCode: z.string().min(1).max(LIMITS.setupCodeMax).optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequestSchema>;

export const LoginRequestSchema = z.strictObject({
  username: z.string().min(1).max(LIMITS.usernameMax),
  password: z.string().min(1).max(LIMITS.passwordMax),
  /** A label for this device's token, e.g. "Ana's laptop". */
  device: displayLine(z.string().min(1).max(LIMITS.deviceNameMax)).optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export interface LoginResponse {
  token: string;
  user: PublicUser;
}

/** `201` from `POST /api/auth/register`; sign in separately to get a device token. */
export interface RegisterResponse {
  user: PublicUser;
}

/** From `POST` and `DELETE /api/posts/:id/like`: the caller's like state after the call. */
export interface LikeResponse {
  liked: boolean;
  likeCount: number;
}

/** From `POST` and `DELETE /api/subscription`. */
export interface SubscriptionResponse {
  subscribed: boolean;
}

export const PostInputSchema = z.strictObject({
  title: displayLine(z.string().trim().min(1).max(LIMITS.titleMax)),
  body: z.string().min(1).max(LIMITS.bodyMax),
});
export type PostInput = z.infer<typeof PostInputSchema>;

export const PostPatchSchema = PostInputSchema.partial().refine(
  (patch) => patch.title !== undefined || patch.body !== undefined,
  'send a title, a body or both',
);
export type PostPatch = z.infer<typeof PostPatchSchema>;

/** Query strings arrive as text; these coerce and bound them. */
export const PostListQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).max(100_000).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.postPageMax).optional(),
});

export interface PostListResponse {
  items: PostListItem[];
  page: number;
  limit: number;
  total: number;
}

export const NotificationListQuerySchema = z.strictObject({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageMax).optional(),
});

export interface NotificationListResponse extends NotificationPage {
  unreadCount: number;
}

export interface UnreadCountResponse {
  unreadCount: number;
}

/** From `DELETE /api/admin/users/:username/tokens`: how many device tokens were revoked. */
export interface RevokeTokensResponse {
  revoked: number;
}

export const RolesRequestSchema = z.strictObject({ author: z.boolean() });
export type RolesRequest = z.infer<typeof RolesRequestSchema>;

const HttpLinkSchema = z
  .string()
  .max(2_000)
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'expected an http(s) URL');

/** `POST /api/admin/announcements`: `to` is a username; without it, every subscriber. */
export const AnnouncementRequestSchema = z.strictObject({
  title: z.string().trim().min(1).max(LIMITS.titleMax),
  text: z.string().trim().min(1).max(LIMITS.announcementTextMax).optional(),
  url: HttpLinkSchema.optional(),
  to: UsernameSchema.optional(),
});
export type AnnouncementRequest = z.infer<typeof AnnouncementRequestSchema>;

/** `201` from `POST /api/admin/announcements`. */
export interface AnnouncementResponse {
  id: string;
  announcement: Announcement;
  /** The username it went to, or null for every subscriber. */
  to: string | null;
}

/** `POST /api/admin/feeds`. */
export const FeedRequestSchema = z.strictObject({ url: HttpLinkSchema });
export type FeedRequest = z.infer<typeof FeedRequestSchema>;

/** A followed feed as the admin API shows it. */
export interface FeedInfo {
  id: string;
  url: string;
  title: string;
  /** `failing` after a poll that failed; `lastError` says why. */
  status: 'ok' | 'failing';
  lastPolledAt: string | null;
  lastError: string | null;
  nextPollAt: string;
}

export interface FeedListResponse {
  items: FeedInfo[];
}

/** From `POST /api/admin/feeds/:id/refresh`: how many entries became posts. */
export interface FeedRefreshResponse {
  newEntries: number;
  feed: FeedInfo;
}

export interface HealthResponse {
  ok: true;
  service: 'tidings';
  version: string;
  protocolVersion: number;
}

/** Whether a zod failure is (also) a display line with spoofing characters: `invalid_text`. */
export function hasInvalidText(error: z.ZodError): boolean {
  return error.issues.some(
    (issue) =>
      issue.code === 'custom' &&
      (issue as { params?: { code?: unknown } }).params?.code === INVALID_TEXT_ISSUE,
  );
}

/** Turns a zod failure into one readable line: "title: Too big: expected ...". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message)
    .join('; ');
}
