/**
 * The ceiling that issuing event seqs in commit order puts on a PostgreSQL blog's writes, on this
 * machine. Every notifying write (a post, a like that tells its author) takes the next seq from
 * event_seq's one row and holds that row's lock until its commit has been flushed
 * (server/store/postgres/events.ts), so such commits cannot share a flush: they run one after
 * another, each paying the disk's fdatasync. Commits that touch no common row are flushed in
 * groups. This probe measures both on a throwaway cluster with fsync on (as the bench's), from 10
 * connections for 4 s each, alternating: likes at a rate near the first figure queue behind each
 * other (docs/BENCHMARKS.md, issue 14's seventh session). Not part of `npm run bench`.
 *
 *   node --import tsx bench/seqCommitBound.ts
 */
import pg from 'pg';
import { startPostgres } from '../test/fixtures/postgres.js';

const CONNECTIONS = 10;
const SECONDS = 4;

async function commitsPerSecond(url: string, throughOneRow: boolean): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: CONNECTIONS });
  let committed = 0;
  const end = Date.now() + SECONDS * 1000;
  try {
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        const client = await pool.connect();
        try {
          while (Date.now() < end) {
            await client.query('BEGIN');
            await client.query("INSERT INTO events (body) VALUES ('a like')");
            if (throughOneRow) await client.query('UPDATE event_seq SET last = last + 1');
            await client.query('COMMIT');
            committed += 1;
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  return committed / SECONDS;
}

const postgres = await startPostgres({ durable: true });
try {
  const url = await postgres.createDatabase('seq_commit_bound');
  const setup = new pg.Client({ connectionString: url });
  await setup.connect();
  await setup.query(
    `CREATE TABLE event_seq (last bigint NOT NULL); INSERT INTO event_seq VALUES (0);
     CREATE TABLE events (id bigserial PRIMARY KEY, body text NOT NULL)`,
  );
  await setup.end();
  for (let round = 1; round <= 2; round++) {
    for (const throughOneRow of [true, false]) {
      const rate = await commitsPerSecond(url, throughOneRow);
      console.log(
        `  round ${round}: ${rate.toFixed(0)} commits/s ` +
          (throughOneRow ? 'each taking the next value from one row' : 'with no common row'),
      );
    }
  }
} finally {
  await postgres.cleanup();
}
