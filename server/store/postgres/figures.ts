/**
 * The figures `stats()` reports (/metrics). This node's own writes move them at once; a refresh
 * from the database every STATS_REFRESH_MS catches up with the other nodes' writes.
 */
import type { StoreStats } from '../store.js';
import type { Database } from './database.js';

const STATS_REFRESH_MS = 15_000;

/** The figures counted from the tables (StoreStats also has lowdb's own, such as its folds). */
type Counted = Pick<StoreStats, 'users' | 'posts' | 'likes' | 'events'>;

export interface Figures {
  value(): StoreStats;
  /** Moves the counts by this node's own committed change (never below zero). */
  count(change: Partial<Counted>): void;
  /** How long the last write took. */
  wrote(ms: number): void;
  /** Reads the figures once, then keeps refreshing them. */
  start(): Promise<void>;
  stop(): void;
}

export function createFigures(db: Database): Figures {
  let figures: StoreStats = { bytes: 0, users: 0, posts: 0, likes: 0, events: 0, lastWriteMs: 0 };
  let timer: NodeJS.Timeout | undefined;

  const refresh = async (): Promise<void> => {
    const { rows } = await db.query<Omit<StoreStats, 'lastWriteMs'>>(
      `SELECT pg_database_size(current_database()) AS bytes,
              (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM posts) AS posts,
              (SELECT count(*) FROM likes) AS likes,
              (SELECT count(*) FROM events) AS events`,
    );
    const row = rows[0];
    if (row) figures = { ...row, lastWriteMs: figures.lastWriteMs };
  };

  const moved = (key: keyof Counted, change: Partial<Counted>): number =>
    Math.max(0, figures[key] + (change[key] ?? 0));

  return {
    value: () => figures,
    count(change) {
      figures = {
        ...figures,
        users: moved('users', change),
        posts: moved('posts', change),
        likes: moved('likes', change),
        events: moved('events', change),
      };
    },
    wrote(ms) {
      figures = { ...figures, lastWriteMs: ms };
    },
    async start() {
      await refresh();
      timer = setInterval(() => {
        refresh().catch(() => undefined);
      }, STATS_REFRESH_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
