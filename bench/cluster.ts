/**
 * Several nodes for the bench (issue 12): a throwaway PostgreSQL (fsync on) and Redis, a lowdb
 * seed copied in with `migrate-to-postgres`, and nodes sharing both, as docs/SCALING.md runs them.
 */
import { startPostgres, type RunningPostgres } from '../test/fixtures/postgres.js';
import { startRedis, type RunningRedis } from '../test/fixtures/redis.js';
import { runCli, startServer, type RunningServer } from '../test/fixtures/server.js';
import { childPids } from './stats.js';

/**
 * How long a node may take to listen: longer than the tests' 15 s, because a node restarted in a
 * reconnect storm starts while thousands of clients keep the same 2 cores busy.
 */
const START_MS = 60_000;

export interface Cluster {
  nodes: RunningServer[];
  /** PostgreSQL's processes now: the postmaster and its children (backends, WAL writer, …). */
  databasePids(): Promise<number[]>;
  /** Every node killed with -9 at once, then started again on its port (a reconnect storm). */
  killAndRestartAll(): Promise<void>;
  stop(): Promise<void>;
}

/** Throwaway PostgreSQL and Redis, the seed copied in, and two nodes sharing them. */
export async function startCluster(dataDir: string, count = 2): Promise<Cluster> {
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const nodes: RunningServer[] = [];
  const stop = async () => {
    for (const node of nodes) await node.stop();
    await Promise.all([postgres?.cleanup(), redis?.cleanup()]);
  };
  try {
    [postgres, redis] = await Promise.all([startPostgres({ durable: true }), startRedis()]);
    const databaseUrl = await postgres.createDatabase();
    const copied = await runCli(
      ['migrate-to-postgres', '--data-dir', dataDir, '--database-url', databaseUrl],
      {},
    );
    if (copied.code !== 0) throw new Error(`migrate-to-postgres failed: ${copied.stderr}`);
    const args = ['--database-url', databaseUrl, '--redis-url', redis.url];
    for (let index = 0; index < count; index += 1) {
      nodes.push(await startServer({ args, startTimeoutMs: START_MS }));
    }
    const database = postgres;
    return {
      nodes,
      async databasePids() {
        const postmaster = await database.pid();
        return postmaster === undefined ? [] : [postmaster, ...(await childPids(postmaster))];
      },
      async killAndRestartAll() {
        await Promise.all(nodes.map((node) => node.kill9()));
        const restarted = await Promise.allSettled(
          nodes.map((node) => startServer({ args, port: node.port, startTimeoutMs: START_MS })),
        );
        // Those that did start are stopped with the rest, even when another did not.
        nodes.splice(0, nodes.length);
        for (const outcome of restarted) {
          if (outcome.status === 'fulfilled') nodes.push(outcome.value);
        }
        const failed = restarted.find((outcome) => outcome.status === 'rejected');
        if (failed) throw failed.reason;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
