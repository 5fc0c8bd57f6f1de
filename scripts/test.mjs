#!/usr/bin/env node
// `npm test`: type-check everything (Electron's types included), lint, build what the tests run
// (the server as built JS, the UI bundles), then run every test file under test/ with Node's own
// test runner. Extra arguments are passed to the runner: `npm test -- test/server/auth.test.ts`.
// A full run (no arguments) then runs the server's suites again with the server on PostgreSQL
// (POSTGRES_SUITES below); `npm run test:postgres` runs only that stage.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(label, command, args, env = process.env) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false, env });
  if (result.status !== 0) {
    console.error(`\n${label} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
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
  run(
    `server suites on PostgreSQL (${POSTGRES_SUITES.length} files)`,
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=1', ...POSTGRES_SUITES],
    { ...process.env, TIDINGS_TEST_STORE: 'postgres' },
  );
}

const npx = (bin) => join('node_modules', '.bin', bin);
const selected = process.argv.slice(2);

if (selected.length === 1 && selected[0] === '--postgres') {
  run('build', process.execPath, ['scripts/build.mjs']);
  runOnPostgres();
  process.exit(0);
}

run('type-check (node, main, server, tests)', npx('tsc'), ['-p', 'tsconfig.json']);
run('type-check (renderer)', npx('tsc'), ['-p', 'renderer/tsconfig.json']);
run('type-check (blog page scripts)', npx('tsc'), ['-p', 'server/web/client/tsconfig.json']);
run('lint', npx('eslint'), ['.']);
run('format', npx('prettier'), ['--check', '.']);
run('build', process.execPath, ['scripts/build.mjs']);
const files = selected.length > 0 ? selected : findTests('test');
run(`tests (${files.length} files)`, process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-concurrency=1',
  ...files,
]);
if (selected.length === 0) runOnPostgres();
