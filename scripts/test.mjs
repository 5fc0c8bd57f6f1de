#!/usr/bin/env node
// `npm test`: type-check everything (Electron's types included), lint, build what the tests run
// (the server as built JS, the UI bundles), then run every test file under test/ with Node's own
// test runner. Extra arguments are passed to the runner: `npm test -- test/server/auth.test.ts`.
// A full run (no arguments) then runs the server's suites again with the server on PostgreSQL
// (POSTGRES_SUITES below); `npm run test:postgres` runs only that stage.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';

function run(label, command, args, env = process.env) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false, env });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/**
 * A test stage's runner, with deadlines. `node --test` waits for each test file's process to
 * exit, so one handle a failing test leaves open (a socket.io client that keeps reconnecting)
 * would hold the whole run until CI's own limit, with nothing said about which. So a file fails
 * after FILE_TIMEOUT_MS (the runner's --test-timeout applies to each file's process as a whole:
 * it names the file and kills its process), and the stage runs in its own process group, so at
 * its deadline the runner, its test files and the servers they started all go.
 */
const FILE_TIMEOUT_MS = 20 * 60_000;

/**
 * Each stage's deadline: on a 2-core machine the stages took about 21 and 1.5 minutes (a fresh
 * clone's CI run, 2 Dec 2026), and both deadlines stay well inside CI's 90 minutes with the
 * install before them.
 */
const TESTS_DEADLINE_MINUTES = 50;
const POSTGRES_DEADLINE_MINUTES = 15;

function runTests(label, files, deadlineMinutes, env = process.env) {
  process.stdout.write(`\n== ${label}\n`);
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=1',
    `--test-timeout=${FILE_TIMEOUT_MS}`,
    ...files,
  ];
  const child = spawn(process.execPath, args, { stdio: 'inherit', env, detached: true });
  const deadline = setTimeout(() => {
    console.error(
      `\n${label}: not finished after ${deadlineMinutes} minutes; stopping it. A test file ` +
        'whose process does not exit is the usual cause: the last file the runner named above.',
    );
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }, deadlineMinutes * 60_000);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(deadline);
      if (code !== 0) {
        console.error(`\n${label} failed (exit ${code ?? signal}).`);
        process.exit(code || 1);
      }
      resolve();
    });
  });
}

function findTests(dir) {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'artifacts' ? [] : findTests(path);
      return name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

/**
 * The server's suites that are about behaviour, not about lowdb's files, run again with every
 * server on a fresh PostgreSQL database (TIDINGS_TEST_STORE=postgres, test/fixtures/server.ts).
 * Left out: cli.test.ts and durability.test.ts (data-dir locks, the data file; PostgreSQL's own
 * are in test/server/postgresNode.test.ts and test/store/postgres/), storageScale.test.ts
 * (lowdb's file size), syncHandoff.test.ts (an in-process lowdb server with test seams), and
 * the suites that already start PostgreSQL themselves.
 */
const POSTGRES_SUITES = [
  'test/server/accounts.test.ts',
  'test/server/badInput.test.ts',
  'test/server/catchUp.test.ts',
  'test/server/isolation.test.ts',
  'test/server/operations.test.ts',
  'test/server/pollingTransport.test.ts',
  'test/server/pythonClient.test.ts',
  'test/server/rateLimits.test.ts',
  'test/server/realtime.test.ts',
];

function runOnPostgres() {
  return runTests(
    `server suites on PostgreSQL (${POSTGRES_SUITES.length} files)`,
    POSTGRES_SUITES,
    POSTGRES_DEADLINE_MINUTES,
    { ...process.env, TIDINGS_TEST_STORE: 'postgres' },
  );
}

const npx = (bin) => join('node_modules', '.bin', bin);
const selected = process.argv.slice(2);

if (selected.length === 1 && selected[0] === '--postgres') {
  run('build', process.execPath, ['scripts/build.mjs']);
  await runOnPostgres();
  process.exit(0);
}

run('type-check (node, main, server, tests)', npx('tsc'), ['-p', 'tsconfig.json']);
run('type-check (renderer)', npx('tsc'), ['-p', 'renderer/tsconfig.json']);
run('type-check (blog page scripts)', npx('tsc'), ['-p', 'server/web/client/tsconfig.json']);
run('lint', npx('eslint'), ['.']);
run('format', npx('prettier'), ['--check', '.']);
run('build', process.execPath, ['scripts/build.mjs']);
const files = selected.length > 0 ? selected : findTests('test');
await runTests(`tests (${files.length} files)`, files, TESTS_DEADLINE_MINUTES);
if (selected.length === 0) await runOnPostgres();
