/**
 * The inbox reads a catch-up makes on PostgreSQL (a page after a seq, the newest page, the batched
 * page, the unread count), each timed under a plan made for its values (force_custom_plan, as an
 * unnamed statement always is) and under the generic plan a named statement may settle on
 * (force_generic_plan; docs/STORAGE.md, "Named statements"), in three states of a freshly filled
 * database: as copied, after ANALYZE, after VACUUM ANALYZE (what migrate-to-postgres now runs).
 * Not part of `npm run bench`:
 *
 *   node --import tsx bench/postgresPlans.ts [--events 250000]
 *
 * The events are written straight into `events` (every second one to subscribers from one author,
 * the others likes addressed to 1,000 users); 1,000 users and `nobody` subscribe from the start,
 * `lonely` subscribes to nothing and has no events. Each figure is the best of 5 runs of the
 * prepared statement, on a throwaway cluster (test/fixtures/postgres.ts).
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { Queryable } from '../server/store/postgres/database.js';
import { createPostgresStore } from '../server/store/postgres/index.js';
import {
  unreadCountsOf,
  visibleEventRows,
  visibleEventRowsOfMany,
} from '../server/store/postgres/visibleEvents.js';
import { startPostgres } from '../test/fixtures/postgres.js';

const { values: options } = parseArgs({
  options: { events: { type: 'string', default: '250000' } },
});
const events = Number(options.events);
if (!Number.isInteger(events) || events < 100) {
  console.error('--events takes a whole number of at least 100');
  process.exit(2);
}

const RUNS = 5;
type State = 'as copied' | 'ANALYZE' | 'VACUUM ANALYZE';

/** The statement each read sends, taken from the store's own query functions. */
async function statementsOf(): Promise<{ label: string; text: string; values: unknown[] }[]> {
  const sent: { text: string; values: unknown[] }[] = [];
  const recorder: Queryable = {
    query: (text: string, values?: unknown[]) => {
      sent.push({ text, values: values ?? [] });
      return Promise.resolve({ rows: [] } as unknown as pg.QueryResult<never>);
    },
  };
  const reads: [string, () => Promise<unknown>][] = [];
  for (const [user, after] of [
    ['nobody', 0],
    ['nobody', events - 10],
    ['lonely', 0],
    ['user7', events - 100],
  ] as const) {
    reads.push(
      [
        `${user}: page after ${after}`,
        () => visibleEventRows(recorder, user, { after, limit: 50, newestFirst: false }),
      ],
      [
        `${user}: batched page after ${after}`,
        () =>
          visibleEventRowsOfMany(recorder, [{ key: 'k', userId: user, after, limit: 50 }], false),
      ],
    );
    if (after === 0) {
      reads.push(
        [
          `${user}: newest page`,
          () => visibleEventRows(recorder, user, { limit: 50, newestFirst: true }),
        ],
        [`${user}: unread count`, () => unreadCountsOf(recorder, [{ key: 'k', userId: user }])],
      );
    }
  }
  const statements = [];
  for (const [label, read] of reads) {
    sent.length = 0;
    await read();
    const [statement] = sent;
    if (statement) statements.push({ label, ...statement });
  }
  return statements;
}

async function bestOf(client: pg.Client, mode: string, text: string, values: unknown[]) {
  await client.query(`SET plan_cache_mode = ${mode}`);
  const name = `probe_${mode}_${Math.random().toString(36).slice(2)}`;
  await client.query({ name, text, values });
  let best = Infinity;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    await client.query({ name, text, values });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const postgres = await startPostgres();
try {
  const url = await postgres.createDatabase();
  const store = createPostgresStore({ connectionString: url });
  await store.open(); // the schema, by the store's own migrations
  await store.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO events (seq, id, type, created_at, audience_user_id, actor_id, post_id, post_title, actor_name)
       SELECT g, 'e' || g, CASE WHEN g % 2 = 0 THEN 'new_post' ELSE 'post_liked' END, now(),
              CASE WHEN g % 2 = 0 THEN NULL ELSE 'user' || (g % 1000) END,
              CASE WHEN g % 2 = 0 THEN 'author' ELSE 'liker' || (g % 500) END, 'p' || g, 't', 'n'
         FROM generate_series(1, $1::bigint) g`,
      [events],
    );
    await client.query('UPDATE event_seq SET latest_seq = $1', [events]);
    await client.query(
      `INSERT INTO subscription_spans (user_id, from_seq)
       SELECT 'user' || g, 0 FROM generate_series(0, 999) g UNION ALL SELECT 'nobody', 0`,
    );
    const statements = await statementsOf();
    console.log(`${events} events; best of ${RUNS} runs of each prepared statement, in ms`);
    for (const state of ['as copied', 'ANALYZE', 'VACUUM ANALYZE'] satisfies State[]) {
      if (state !== 'as copied') await client.query(state);
      console.log(`  ${state}:`);
      for (const { label, text, values } of statements) {
        const custom = await bestOf(client, 'force_custom_plan', text, values);
        const generic = await bestOf(client, 'force_generic_plan', text, values);
        console.log(
          `    ${label}: custom plan ${custom.toFixed(2)}, generic plan ${generic.toFixed(2)}`,
        );
      }
    }
  } finally {
    await client.end();
  }
} finally {
  await postgres.cleanup();
}
