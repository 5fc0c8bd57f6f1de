/**
 * The README's test line must work in a root shell on a minimal Debian, which has no sudo: its
 * first command (the system-package script) runs as root without sudo, and tells a user who is
 * neither root nor has sudo what to do. apt-get is a recorder on PATH here; the real install is
 * CI's job.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let stubs = '';

before(async () => {
  stubs = await mkdtemp(join(tmpdir(), 'tidings-apt-'));
  await writeFile(join(stubs, 'apt-get'), `#!/bin/sh\necho "$*" >> "${stubs}/apt.log"\n`);
  await chmod(join(stubs, 'apt-get'), 0o755);
});

after(async () => {
  if (stubs) await rm(stubs, { recursive: true, force: true });
});

async function readmeTestLine(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const line = readme.split('\n').find((candidate) => candidate.includes('# passes the tests'));
  assert.ok(line, 'the README has a "passes the tests" line');
  return line;
}

test('the README’s test line starts without sudo, and its first step runs in a root shell with no sudo', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs a root shell, like CI and a minimal Debian container');
    return;
  }
  const line = await readmeTestLine();
  const firstStep = (line.split('&&')[0] ?? '').trim();
  assert.doesNotMatch(firstStep, /^sudo\b/, 'a root shell on minimal Debian has no sudo');
  const run = spawnSync('sh', ['-c', firstStep], {
    cwd: ROOT,
    encoding: 'utf8',
    // No sudo anywhere on this PATH: only the apt-get recorder and the base system.
    env: { PATH: `${stubs}:/usr/bin:/bin`, HOME: stubs },
  });
  assert.equal(run.status, 0, `${firstStep} failed: ${run.stderr}`);
  const apt = await readFile(join(stubs, 'apt.log'), 'utf8');
  assert.match(apt, /^update/m);
  assert.match(apt, /^install .*\bdunst\b.*\blibnotify-bin\b/m);
});

test('neither root nor sudo: one line saying what to do, and nothing installed', async (t) => {
  const asNobody = spawnSync('sh', ['-c', 'command -v runuser'], { encoding: 'utf8' });
  if (process.getuid?.() !== 0 || asNobody.status !== 0) {
    t.skip('needs root and runuser to run the script as another user');
    return;
  }
  await rm(join(stubs, 'apt.log'), { force: true });
  const run = spawnSync(
    'runuser',
    ['-u', 'nobody', '--', 'bash', join(ROOT, 'scripts', 'install-system-packages.sh')],
    { encoding: 'utf8', env: { PATH: `${stubs}:/usr/sbin:/usr/bin:/sbin:/bin` } },
  );
  if (spawnSync('sh', ['-c', 'command -v sudo']).status === 0) {
    t.skip('sudo is installed here, so the script would use it');
    return;
  }
  assert.equal(run.status, 1);
  assert.match(run.stderr, /run it as root .*sudo is not installed/);
});
