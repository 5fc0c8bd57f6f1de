/**
 * Stories of a self-hoster at the command line: starting the server wrong in every common way,
 * and running the admin commands while it is stopped (test/server/adminWhileRunning.test.ts has
 * them while it runs). Every failure is one clear line and a
 * non-zero exit; a corrupt data file is left exactly as it was.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { DATA_FILE_NAME } from '../../server/store/lowdb/index.js';
import { errorOf, login, me, request, signUp, TEST_PASSWORD } from '../fixtures/api.js';
import { runCli, SERVER_ENTRY, startServer } from '../fixtures/server.js';

/** One line on stderr, naming the program, and no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.match(lines[0] ?? '', /^tidings-server: /);
  assert.match(lines[0] ?? '', pattern);
}

/**
 * Runs `users add NAME` on a real pseudo-terminal (util-linux `script`), typing each answer once
 * its prompt is on the screen, as a person would. Returns everything the terminal showed.
 */
async function addUserOnTerminal(
  dataDir: string,
  username: string,
  answers: string[],
): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, SERVER_ENTRY, 'users', 'add', username, '--data-dir', dataDir]
    .map((word) => `'${word}'`)
    .join(' ');
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, TIDINGS_PASSWORD: undefined },
  });
  let screen = '';
  const pending = [...answers];
  let prompts = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    const seen = screen.match(/Password( again)?: /g)?.length ?? 0;
    while (prompts < seen && pending.length > 0) {
      prompts += 1;
      child.stdin.write(`${pending.shift()}\r`);
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, screen };
}

describe('starting the server wrong', () => {
  let scratch: string;
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'tidings-cli-'));
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('--help lists every flag with its environment variable', async () => {
    const { code, stdout } = await runCli(['--help']);
    assert.equal(code, 0);
    for (const text of [
      '--port',
      'TIDINGS_PORT',
      '--data-dir',
      'TIDINGS_DATA_DIR',
      'TIDINGS_RATE_LIMITS',
      'users add',
    ]) {
      assert.ok(stdout.includes(text), text);
    }
  });

  it('a bad flag, a bad value or an unknown command exits 2 with one line', async () => {
    const cases: [string[], RegExp][] = [
      [['--prot', '4300'], /--prot/],
      [['--port', 'eighty'], /--port.*whole number/],
      [['--port', '70000'], /at most 65535/],
      [['--rate-limits', 'maybe'], /"on" or "off"/],
      [['--public-url', 'ftp://x'], /http\(s\) URL/],
      [['launch'], /unknown command "launch"/],
      [['users', 'add'], /user name/],
    ];
    for (const [args, pattern] of cases) {
      const { code, stderr } = await runCli(['--data-dir', join(scratch, 'unused'), ...args]);
      assert.equal(code, 2, args.join(' '));
      assertOneLine(stderr, pattern);
    }
    const env = await runCli(['--data-dir', join(scratch, 'unused')], { TIDINGS_PORT: '-1' });
    assert.equal(env.code, 2);
    assertOneLine(env.stderr, /TIDINGS_PORT/);
  });

  it('a port in use is one line and exit 1', async () => {
    const running = await startServer();
    try {
      const { code, stderr } = await runCli([
        '--host',
        '127.0.0.1',
        '--port',
        String(running.port),
        '--data-dir',
        join(scratch, 'second'),
      ]);
      assert.equal(code, 1);
      assertOneLine(stderr, new RegExp(`port ${running.port} .*in use`));
    } finally {
      await running.stop();
      await running.cleanup();
    }
  });

  it('a data dir that cannot be written is one line and exit 1', async () => {
    const file = join(scratch, 'a-file');
    await writeFile(file, 'not a directory');
    for (const dataDir of [file, join(file, 'below')]) {
      const { code, stderr } = await runCli(['--port', '0', '--data-dir', dataDir]);
      assert.equal(code, 1, dataDir);
      assertOneLine(stderr, /data directory .* not a directory|cannot (write|use)/);
    }
  });

  it('a corrupt data file stops the start and is left byte for byte as it was', async () => {
    const dataDir = join(scratch, 'corrupt');
    const server = await startServer({ dataDir });
    await signUp(server.url, 'ana');
    assert.equal(await server.stop(), 0);
    const file = join(dataDir, DATA_FILE_NAME);
    const corrupt = Buffer.from((await readFile(file, 'utf8')).slice(0, 40) + '\u0000 garbage');
    await writeFile(file, corrupt);

    const { code, stderr } = await runCli(['--port', '0', '--data-dir', dataDir]);
    assert.equal(code, 1);
    assertOneLine(stderr, /data file .*untouched/);
    assert.deepEqual(await readFile(file), corrupt, 'the file is unchanged');
  });

  it('a second server on the same data dir refuses to start', async () => {
    const first = await startServer();
    try {
      const { code, stderr } = await runCli(['--port', '0', '--data-dir', first.dataDir]);
      assert.equal(code, 1);
      assertOneLine(stderr, new RegExp(`pid ${first.child.pid}.*stop it first`));
    } finally {
      await first.stop();
      await first.cleanup();
    }
  });
});

describe('admin commands', () => {
  let dataDir: string;
  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tidings-admin-'));
  });
  after(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });
  const admin = (args: string[], env: Record<string, string> = {}) =>
    runCli([...args, '--data-dir', dataDir], env);

  it('add users with roles, make authors, close registration and revoke tokens', async () => {
    const added = await admin(['users', 'add', 'owner'], { TIDINGS_PASSWORD: TEST_PASSWORD });
    assert.equal(added.code, 0, added.stderr);
    assert.equal(
      added.stdout.trim(),
      'added owner (admin, author)',
      'the first account runs the blog',
    );
    const reader = await admin(['users', 'add', 'rita'], { TIDINGS_PASSWORD: TEST_PASSWORD });
    assert.equal(reader.stdout.trim(), 'added rita');
    const taken = await admin(['users', 'add', 'RITA'], { TIDINGS_PASSWORD: TEST_PASSWORD });
    assert.equal(taken.code, 1);
    assertOneLine(taken.stderr, /taken/);
    const weak = await admin(['users', 'add', 'sam'], { TIDINGS_PASSWORD: 'short' });
    assert.equal(weak.code, 1);
    assertOneLine(weak.stderr, /password/);
    const missing = await admin(['users', 'make-author', 'nobody']);
    assert.equal(missing.code, 1);
    assertOneLine(missing.stderr, /no user "nobody"/);

    // The password can come from stdin, as a pipe.
    const child = spawn(
      process.execPath,
      [SERVER_ENTRY, 'users', 'add', 'piper', '--author', '--data-dir', dataDir],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, TIDINGS_PASSWORD: undefined },
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stdin.end(`${TEST_PASSWORD}\n`);
    assert.deepEqual(await once(child, 'exit'), [0, null]);
    assert.equal(stdout.trim(), 'added piper (author)');

    // On a terminal it asks twice and shows nothing of what is typed.
    const typed = await addUserOnTerminal(dataDir, 'terry', [
      'secret password 1',
      'secret password 1',
    ]);
    assert.equal(typed.code, 0, typed.screen);
    assert.match(typed.screen, /Password: /);
    assert.match(typed.screen, /Password again: /);
    assert.match(typed.screen, /added terry/);
    assert.doesNotMatch(typed.screen, /secret/, 'the password never appears on the terminal');
    const differ = await addUserOnTerminal(dataDir, 'tess', [
      'secret password 1',
      'secret password 2',
    ]);
    assert.equal(differ.code, 2);
    assert.match(differ.screen, /the two passwords differ; nothing was changed/);

    assert.equal(
      (await admin(['users', 'make-author', 'rita'])).stdout.trim(),
      'rita is now an author',
    );
    assert.equal(
      (await admin(['registration', 'closed'])).stdout.trim(),
      'registration is now closed',
    );

    let server = await startServer({ dataDir });
    const rita = await login(server.url, 'rita');
    assert.equal(rita.user.isAuthor, true);
    assert.equal((await login(server.url, 'piper')).user.isAuthor, true);
    const closed = await request(server.url, 'POST', API.register, {
      json: { username: 'newbie', password: TEST_PASSWORD },
    });
    assert.equal(errorOf(closed).code, 'registration_closed');
    assert.equal(await server.stop(), 0);

    const revoked = await admin(['tokens', 'revoke', 'rita']);
    assert.equal(revoked.stdout.trim(), 'revoked 1 token of rita');
    assert.equal((await admin(['registration', 'open'])).code, 0);

    server = await startServer({ dataDir });
    try {
      const refused = await request(server.url, 'GET', API.me, { token: rita.token });
      assert.equal(refused.status, 401);
      assert.equal(
        (await me(server.url, (await login(server.url, 'rita')).token)).username,
        'rita',
      );
      assert.equal(
        (await signUp(server.url, 'newbie')).user.isAuthor,
        false,
        'registration is open again',
      );
    } finally {
      await server.stop();
    }
  });
});
