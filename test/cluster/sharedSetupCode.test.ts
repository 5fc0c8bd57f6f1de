/**
 * The first admin of a blog served by several nodes: two nodes start on one fresh database (real
 * postgres and redis-server), only the first prints a setup code, the other says whose log holds
 * it, and that one code makes the admin through either node.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { errorOf, request, TEST_PASSWORD } from '../fixtures/api.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { startRedis, type RunningRedis } from '../fixtures/redis.js';
import { startServer, type RunningServer } from '../fixtures/server.js';

const CODE_LINE = /sign up at \S+\/signup with the setup code ([a-z0-9-]+) to become/;
const ELSEWHERE_LINE = /with the setup code that node (\S+) printed in its log/;

describe('several nodes on a database without accounts', () => {
  let postgres: RunningPostgres | undefined;
  let redis: RunningRedis | undefined;
  const nodes: RunningServer[] = [];

  before(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    const databaseUrl = await postgres.createDatabase();
    // No TIDINGS_SETUP_CODE: each node would make up its own code.
    const startNode = () =>
      startServer({
        args: ['--database-url', databaseUrl, '--redis-url', redis?.url ?? ''],
        env: { TIDINGS_SETUP_CODE: '' },
      });
    nodes.push(await startNode());
    nodes.push(await startNode());
  });

  after(async () => {
    for (const node of nodes) {
      await node.stop();
      await node.cleanup();
    }
    await Promise.all([postgres?.cleanup(), redis?.cleanup()]);
  });

  it('share one setup code: the first node prints it, the other names that node, and it works on both', async () => {
    const [first, second] = nodes;
    assert.ok(first && second);
    const code = (await first.waitForOutput(CODE_LINE))[1] ?? '';
    const [, printedBy] = await second.waitForOutput(ELSEWHERE_LINE);
    assert.match(printedBy ?? '', new RegExp(`:${first.child.pid}$`), 'the first node, by its pid');
    assert.doesNotMatch(second.output(), CODE_LINE, 'the second node prints no code of its own');

    const register = (node: RunningServer, username: string, setupCode?: string) =>
      request<{ user: { isAdmin: boolean } }>(node.url, 'POST', API.register, {
        json: { username, password: TEST_PASSWORD, ...(setupCode ? { setupCode } : {}) },
      });
    const stranger = await register(second, 'mallory', 'aaaaa-bbbbb-ccccc-ddddd');
    assert.equal(stranger.status, 403);
    assert.match(errorOf(stranger).message, /not right/);

    // Printed by the first node, typed into the second.
    const owner = await register(second, 'owner', code);
    assert.equal(owner.status, 201, JSON.stringify(owner.body));
    assert.equal(owner.body.user.isAdmin, true);
    const reader = await register(first, 'reader', code);
    assert.equal(reader.status, 201, JSON.stringify(reader.body));
    assert.equal(reader.body.user.isAdmin, false, 'used up on every node');
  });
});
