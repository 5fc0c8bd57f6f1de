/**
 * The store's statements are parsed once per connection, not once per call
 * (server/store/postgres/statementNames.ts): real `postgres` logging every Parse, Bind and Execute
 * (log_min_duration_statement = 0), and a like's two statements counted in that log. Unnamed, as
 * before, each like parsed both again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_POOL_SIZE } from '../../../server/store/postgres/database.js';
import { createPostgresStore } from '../../../server/store/postgres/index.js';
import {
  createStatementNamer,
  MAX_NAMED_STATEMENTS,
} from '../../../server/store/postgres/statementNames.js';
import { startPostgres, type RunningPostgres } from '../../fixtures/postgres.js';
import { addUser, publish } from '../conformance/helpers.js';

const LIKES = 30;
/** The like's first statement, as the log shows it after `parse <name>:` or `execute <name>:`. */
const LIKE_STATEMENT = 'WITH post AS (SELECT author_id, title FROM posts WHERE id = $1 FOR SHARE)';

function logLines(log: string, step: 'parse' | 'execute'): string[] {
  const prefix = new RegExp(`\\b${step} [^:\\s]+: ${LIKE_STATEMENT.replace(/[()$]/g, '\\$&')}`);
  return log.split('\n').filter((line) => prefix.test(line));
}

async function waitForLog(postgres: RunningPostgres, executes: number): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const log = postgres.output();
    if (logLines(log, 'execute').length >= executes || Date.now() > deadline) return log;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('named statements on PostgreSQL', () => {
  let postgres: RunningPostgres;
  before(async () => {
    postgres = await startPostgres({ settings: { log_min_duration_statement: '0' } });
  });
  after(async () => {
    await postgres?.cleanup();
  });

  it('parses a like’s statement once per connection, however many likes', async () => {
    const store = createPostgresStore({ connectionString: await postgres.createDatabase() });
    await store.open();
    try {
      const author = await addUser(store, 'ada', true);
      const { post } = await publish(store, author, 'Hello');
      const likers = [];
      for (let index = 0; index < LIKES; index += 1) {
        likers.push(await addUser(store, `liker${index}`));
      }
      // Some at once, so that several of the pool's connections take likes.
      await Promise.all(likers.map((liker) => store.addLike(post.id, liker.id)));

      const log = await waitForLog(postgres, LIKES);
      const executes = logLines(log, 'execute');
      const parses = logLines(log, 'parse');
      assert.equal(executes.length, LIKES, `every like ran the statement:\n${executes.join('\n')}`);
      assert.ok(
        parses.every((line) => /parse tidings_[0-9a-f]{32}:/.test(line)),
        `the statement went by its name:\n${parses.join('\n')}`,
      );
      assert.ok(
        parses.length <= DEFAULT_POOL_SIZE,
        `${LIKES} likes parsed it ${parses.length} times, more than once per connection ` +
          `(${DEFAULT_POOL_SIZE}):\n${parses.join('\n')}`,
      );
    } finally {
      await store.close();
    }
  });
});

describe('the statement namer', () => {
  it('names a text with parameters by its hash, the same each time', () => {
    const namer = createStatementNamer();
    const first = namer.configFor('SELECT $1::int', [1]);
    const again = namer.configFor('SELECT $1::int', [2]);
    assert.match(first.name ?? '', /^tidings_[0-9a-f]{32}$/);
    assert.equal(again.name, first.name);
    assert.deepEqual(again.values, [2]);
    assert.notEqual(namer.configFor('SELECT $1::text', ['a']).name, first.name);
  });

  it('leaves a text without parameters unnamed, so it may hold several statements', () => {
    const namer = createStatementNamer();
    assert.equal(namer.configFor('BEGIN', undefined).name, undefined);
    assert.equal(namer.configFor('SELECT 1; COMMIT', []).name, undefined);
    assert.equal(namer.named(), 0);
  });

  it(`names at most ${MAX_NAMED_STATEMENTS} texts and runs the rest unnamed`, () => {
    const namer = createStatementNamer();
    for (let index = 0; index < MAX_NAMED_STATEMENTS + 10; index += 1) {
      const config = namer.configFor(`SELECT $1::int + ${index}`, [index]);
      assert.equal(config.name === undefined, index >= MAX_NAMED_STATEMENTS, `text ${index}`);
    }
    assert.equal(namer.named(), MAX_NAMED_STATEMENTS);
    // A text named before the bound was reached keeps its name.
    assert.ok(namer.configFor('SELECT $1::int + 0', [0]).name);
  });
});
