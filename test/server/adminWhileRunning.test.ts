/**
 * Stories of an operator at the command line while the server runs. A stolen laptop's token is
 * revoked at once, without downtime: the CLI finds the data dir locked by the running server and
 * hands the command to it over the admin socket in the data dir; the server revokes through the
 * same services as the API, so the user's live sockets close at once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { API } from '../../contract/wire.js';
import { errorOf, login, request, signUp, TEST_PASSWORD } from '../fixtures/api.js';
import { runCli, startServer, stopServers, type RunningServer } from '../fixtures/server.js';
import { connectSocket, nextDisconnect } from '../fixtures/sockets.js';

const CLI_RUN_LIMIT_MS = 60_000;

describe('admin commands while the server runs', () => {
  const servers: RunningServer[] = [];
  const scratch: string[] = [];
  after(() => stopServers(servers, { scratch }));

  it('tokens revoke signs the user out everywhere at once; the server keeps serving', async () => {
    const server = await startServer();
    servers.push(server);
    await signUp(server.url, 'ana');
    await signUp(server.url, 'ben');
    const laptop = await login(server.url, 'ben', TEST_PASSWORD, 'stolen laptop');
    const { socket } = await connectSocket(server.url, laptop.token);
    // Armed before the CLI starts; starting a node process can take seconds on a busy machine.
    const dropped = nextDisconnect(socket, CLI_RUN_LIMIT_MS);

    const revoked = await runCli(['tokens', 'revoke', 'ben', '--data-dir', server.dataDir]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), 'revoked 2 tokens of ben');
    assert.equal(await dropped, 'io server disconnect', 'the live socket closed at once');
    socket.close();
    const refused = await request(server.url, 'GET', API.me, { token: laptop.token });
    assert.equal(refused.status, 401);
    assert.equal(errorOf(refused).code, 'unauthorized');
    assert.equal((await login(server.url, 'ben')).user.username, 'ben', 'ben can sign in again');
    await server.waitForOutput(/admin command over admin\.sock: revoked 2 tokens of ben/);

    // The other commands take the same path; a refusal is one line and a non-zero exit.
    const added = await runCli(['users', 'add', 'cleo', '--author', '--data-dir', server.dataDir], {
      TIDINGS_PASSWORD: TEST_PASSWORD,
    });
    assert.equal(added.stdout.trim(), 'added cleo (author)', added.stderr);
    assert.equal((await login(server.url, 'cleo')).user.isAuthor, true);
    const closed = await runCli(['registration', 'closed', '--data-dir', server.dataDir]);
    assert.equal(closed.stdout.trim(), 'registration is now closed');
    const signUpNow = await request(server.url, 'POST', API.register, {
      json: { username: 'dan', password: TEST_PASSWORD },
    });
    assert.equal(errorOf(signUpNow).code, 'registration_closed');
    const unknown = await runCli(['tokens', 'revoke', 'nobody', '--data-dir', server.dataDir]);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr.trim(), 'tidings-server: There is no user "nobody".');

    assert.equal(await server.stop(), 0);
  });

  it('a stopped server: the same command works on the data dir itself', async () => {
    const server = await startServer();
    servers.push(server);
    await signUp(server.url, 'ana');
    const phone = await login(server.url, 'ana', TEST_PASSWORD, 'phone');
    assert.equal(await server.stop(), 0);
    const revoked = await runCli(['tokens', 'revoke', 'ana', '--data-dir', server.dataDir]);
    assert.equal(revoked.stdout.trim(), 'revoked 2 tokens of ana', revoked.stderr);
    const restarted = await startServer({ dataDir: server.dataDir });
    servers.push(restarted);
    assert.equal((await request(restarted.url, 'GET', API.me, { token: phone.token })).status, 401);
  });

  it('a lock held by a process that has no admin socket: stop it first, as before', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'tidings-admin-'));
    scratch.push(dataDir);
    // A live process that is not a Tidings server: this test runner.
    await writeFile(join(dataDir, 'tidings.pid'), `${process.pid}\n`);
    const { code, stderr } = await runCli(['registration', 'closed', '--data-dir', dataDir]);
    assert.equal(code, 1);
    assert.match(stderr.trim(), /^tidings-server: another Tidings process .* stop it first$/);
  });
});
