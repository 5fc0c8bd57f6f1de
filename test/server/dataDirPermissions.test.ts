/**
 * The data directory holds scrypt hashes, token hashes and every post: a new one is the owner's
 * alone (directory 0700, every file 0600: snapshot, journal, backup, lock), and one made readable
 * by hand or by an older version is tightened at start, with a line in the log.
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { publish, signUp } from '../fixtures/api.js';
import { runCli, startServer, type RunningServer } from '../fixtures/server.js';

const modeOf = async (path: string): Promise<string> =>
  ((await stat(path)).mode & 0o777).toString(8);

/** Every entry of the data dir and its mode: regular files only, the admin socket apart. */
async function fileModes(dir: string): Promise<Record<string, string>> {
  const modes: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) modes[entry.name] = await modeOf(join(dir, entry.name));
  }
  return modes;
}

describe('data directory permissions', () => {
  const scratch: string[] = [];
  const servers: RunningServer[] = [];
  after(async () => {
    for (const server of servers) await server.stop();
    for (const dir of scratch) await rm(dir, { recursive: true, force: true });
  });

  it('a new data dir is 0700 and every file the server writes is 0600, under umask 022', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tidings-perms-'));
    scratch.push(parent);
    const dataDir = join(parent, 'data');
    const server = await startServer({ dataDir });
    servers.push(server);
    const ana = await signUp(server.url, 'ana');
    await publish(server.url, ana.token, 'A post on disk');
    assert.equal(await modeOf(dataDir), '700');
    assert.equal(await modeOf(join(dataDir, 'tidings.pid')), '600', 'the lock');
    assert.equal(await modeOf(join(dataDir, 'admin.sock')), '600', 'the admin socket');
    for (const [name, mode] of Object.entries(await fileModes(dataDir))) {
      assert.equal(mode, '600', `${name} while running`);
    }
    assert.equal(await server.stop(), 0);
    const stopped = await fileModes(dataDir);
    assert.ok('tidings.json' in stopped, JSON.stringify(stopped));
    for (const [name, mode] of Object.entries(stopped)) assert.equal(mode, '600', name);
  });

  it('an admin command on a new data dir makes it private too', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tidings-perms-'));
    scratch.push(parent);
    const dataDir = join(parent, 'data');
    const added = await runCli(['users', 'add', 'owner', '--data-dir', dataDir], {
      TIDINGS_PASSWORD: 'correct horse battery',
    });
    assert.equal(added.code, 0, added.stderr);
    assert.equal(await modeOf(dataDir), '700');
    for (const [name, mode] of Object.entries(await fileModes(dataDir))) {
      assert.equal(mode, '600', name);
    }
  });

  it('a readable data dir is tightened at start, and the log says so', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'tidings-perms-'));
    scratch.push(parent);
    const dataDir = join(parent, 'data');
    const first = await startServer({ dataDir });
    await signUp(first.url, 'ana');
    assert.equal(await first.stop(), 0);
    // As an older version (or a hand-made directory) under umask 022 left it.
    await chmod(dataDir, 0o755);
    for (const name of Object.keys(await fileModes(dataDir))) {
      await chmod(join(dataDir, name), 0o644);
    }
    await mkdir(join(dataDir, 'notes'), { mode: 0o755 });
    await writeFile(join(dataDir, 'extra.txt'), 'an operator note');
    await chmod(join(dataDir, 'extra.txt'), 0o664);

    const server = await startServer({ dataDir });
    servers.push(server);
    const [line] = await server.waitForOutput(/made .* private to its owner.*\n/);
    assert.match(line, /the directory \(was 755\)/);
    assert.match(line, /extra\.txt \(was 664\)/);
    assert.equal(await modeOf(dataDir), '700');
    for (const [name, mode] of Object.entries(await fileModes(dataDir))) {
      assert.equal(mode, '600', name);
    }
    await server.stop();
    const quiet = await startServer({ dataDir });
    servers.push(quiet);
    await quiet.waitForOutput(/listening on/);
    assert.doesNotMatch(quiet.output(), /private to its owner/, 'nothing to say the second time');
  });
});
