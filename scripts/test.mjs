#!/usr/bin/env node
// `npm test`: type-check everything (Electron's types included), lint, build what the tests run
// (the server as built JS, the UI bundles), then run every test file under test/ with Node's own
// test runner. Extra arguments are passed to the runner: `npm test -- test/server/auth.test.ts`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(label, command, args) {
  process.stdout.write(`\n== ${label}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
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

const npx = (bin) => join('node_modules', '.bin', bin);
const selected = process.argv.slice(2);

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
