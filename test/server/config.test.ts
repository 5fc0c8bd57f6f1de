/**
 * How the server reads its settings: flags over environment over defaults, one clear error per
 * mistake, and a frozen result. Pure, so tested without starting anything.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, helpText, parseCommandLine, SETTINGS } from '../../server/config.js';

function serveConfig(argv: string[], env: Record<string, string> = {}) {
  const command = parseCommandLine(argv, env);
  assert.equal(command.kind, 'serve');
  return command.config;
}

describe('server configuration', () => {
  it('has safe defaults: loopback, port 4300, ./data, rate limits on', () => {
    const config = serveConfig([]);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.port, 4300);
    assert.equal(config.dataDir, resolve('data'));
    assert.equal(config.rateLimits.enabled, true);
    assert.equal(config.durability, 'power', 'durable on power loss unless asked otherwise');
    assert.equal(serveConfig(['--durability', 'kill9']).durability, 'kill9');
    assert.equal(config.publicUrl, undefined);
    assert.deepEqual(config.allowedOrigins, []);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.rateLimits));
  });

  it('polls feeds every 900 s by default, refuses private feeds unless allowed', () => {
    assert.deepEqual(serveConfig([]).feeds, {
      intervalSeconds: 900,
      allowPrivate: false,
      timeoutSeconds: 20,
    });
    const env = { TIDINGS_FEED_INTERVAL: '120', TIDINGS_ALLOW_PRIVATE_FEEDS: 'on' };
    assert.equal(serveConfig([], env).feeds.intervalSeconds, 120);
    assert.equal(serveConfig(['--feed-interval', '60'], env).feeds.intervalSeconds, 60);
    assert.equal(serveConfig([], env).feeds.allowPrivate, true);
    assert.equal(serveConfig(['--allow-private-feeds', 'off'], env).feeds.allowPrivate, false);
    assert.ok(Object.isFrozen(serveConfig([]).feeds));
    const command = parseCommandLine(['feeds', 'add', 'https://blog.example/feed'], {});
    assert.equal(command.kind === 'admin' && command.command.kind, 'feeds-add');
  });

  it('takes environment variables, and flags over them', () => {
    const env = { TIDINGS_PORT: '5000', TIDINGS_HOST: '0.0.0.0', TIDINGS_RATE_LIMITS: 'off' };
    assert.equal(serveConfig([], env).port, 5000);
    assert.equal(serveConfig(['--port', '0'], env).port, 0);
    assert.equal(serveConfig(['--port=6000'], env).port, 6000);
    assert.equal(serveConfig([], env).host, '0.0.0.0');
    assert.equal(serveConfig([], env).rateLimits.enabled, false);
    assert.equal(serveConfig(['serve', '--rate-limits', 'on'], env).rateLimits.enabled, true);
  });

  it('normalises URLs and origin lists', () => {
    const config = serveConfig([
      '--public-url',
      'https://blog.example.org/',
      '--allowed-origins',
      'https://a.example, http://localhost:3000/ ,',
    ]);
    assert.equal(config.publicUrl, 'https://blog.example.org');
    assert.deepEqual(config.allowedOrigins, ['https://a.example', 'http://localhost:3000']);
  });

  it('shares a blog through Redis only with PostgreSQL', () => {
    const database = 'postgres://tidings@db.internal/tidings';
    const config = serveConfig([], {
      TIDINGS_DATABASE_URL: database,
      TIDINGS_REDIS_URL: 'redis://cache.internal:6379',
    });
    assert.equal(config.redisUrl, 'redis://cache.internal:6379');
    assert.equal(serveConfig([]).redisUrl, undefined);
    assert.throws(
      () => parseCommandLine(['--redis-url', 'redis://cache.internal'], {}),
      (error: unknown) =>
        error instanceof ConfigError && /--redis-url .*needs --database-url/.test(error.message),
    );
    assert.throws(
      () => parseCommandLine(['--database-url', database, '--redis-url', 'http://cache'], {}),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^--redis-url \(or TIDINGS_REDIS_URL\) "http:\/\/cache": expected a redis:\/\//.test(
          error.message,
        ),
    );
  });

  it('names the flag and its variable in every error', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--port', '1.5'], {}, /^--port \(or TIDINGS_PORT\) "1.5": expected a whole number$/],
      [[], { TIDINGS_RATE_LOGIN: '0' }, /TIDINGS_RATE_LOGIN.*at least 1/],
      [[], { TIDINGS_PASSWORD_COST: '30' }, /TIDINGS_PASSWORD_COST.*at most 20/],
      [['--allowed-origins', 'not a url'], {}, /--allowed-origins.*http\(s\) URL/],
      [['--registration', 'maybe'], {}, /"open" or "closed"/],
      [
        ['--durability', 'fast'],
        {},
        /^--durability \(or TIDINGS_DURABILITY\) "fast": expected "power" or "kill9"$/,
      ],
      [['--port'], {}, /--port/],
      [['--nope'], {}, /--nope/],
      [['users', 'add', 'x', 'y'], {}, /unexpected "y"/],
      [['registration', 'open', '--author'], {}, /--author/],
      [['tokens', 'revoke'], {}, /user name/],
      [
        ['--feed-interval', '59'],
        {},
        /^--feed-interval \(or TIDINGS_FEED_INTERVAL\) "59".*at least 60/,
      ],
      [[], { TIDINGS_ALLOW_PRIVATE_FEEDS: 'yes' }, /TIDINGS_ALLOW_PRIVATE_FEEDS.*"on" or "off"/],
      [['feeds', 'add'], {}, /expected a URL/],
      [['feeds', 'remove'], {}, /expected a feed id/],
      [['feeds', 'list', 'x'], {}, /unexpected "x"/],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(
        () => parseCommandLine(argv, env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
        argv.join(' ') || JSON.stringify(env),
      );
    }
  });

  it('reads admin commands with their own flags, wherever the flags are', () => {
    const command = parseCommandLine(
      ['--data-dir', '/srv/t', 'users', 'add', 'ana', '--author'],
      {},
    );
    assert.deepEqual(command, {
      kind: 'admin',
      command: { kind: 'users-add', username: 'ana', isAuthor: true, isAdmin: false },
      dataDir: '/srv/t',
      databaseUrl: undefined,
      passwordCost: 15,
      feeds: { intervalSeconds: 900, allowPrivate: false, timeoutSeconds: 20 },
    });
    const closed = parseCommandLine(['registration', 'closed'], { TIDINGS_DATA_DIR: '/d' });
    assert.deepEqual(closed.kind === 'admin' && [closed.command, closed.dataDir], [
      { kind: 'registration', open: false },
      '/d',
    ]);
  });

  it('takes a PostgreSQL URL for the server, the admin commands and migrate-to-postgres', () => {
    assert.equal(serveConfig([]).databaseUrl, undefined, 'absent: lowdb in --data-dir');
    const url = 'postgres://tidings:secret@db.example:5432/tidings';
    assert.equal(serveConfig(['--database-url', url]).databaseUrl, url);
    assert.equal(serveConfig([], { TIDINGS_DATABASE_URL: url }).databaseUrl, url);
    assert.throws(
      () => parseCommandLine(['--database-url', 'mysql://x/y'], {}),
      /--database-url \(or TIDINGS_DATABASE_URL\) "mysql:\/\/x\/y": expected a postgres:\/\//,
    );
    const admin = parseCommandLine(['tokens', 'revoke', 'ben', '--database-url', url], {});
    assert.equal(admin.kind === 'admin' && admin.databaseUrl, url);
    assert.deepEqual(
      parseCommandLine(['migrate-to-postgres', '--data-dir', '/srv/t'], {
        TIDINGS_DATABASE_URL: url,
      }),
      { kind: 'migrate-to-postgres', dataDir: '/srv/t', databaseUrl: url },
    );
    assert.throws(
      () => parseCommandLine(['migrate-to-postgres', '--database-url', url], {}),
      /needs --data-dir/,
    );
  });

  it('generates --help from the same definitions', () => {
    const text = helpText();
    for (const setting of Object.values(SETTINGS)) {
      assert.ok(text.includes(`--${setting.flag}`) && text.includes(setting.env), setting.flag);
    }
    assert.deepEqual(parseCommandLine(['--help'], {}), { kind: 'help', text });
  });
});
