/**
 * Admission control for reconnect storms: at most N sockets may be between an accepted handshake
 * and their `sync`; beyond that a handshake is refused with `server_busy` and a `retryAfterMs`,
 * and a client that comes back then gets in. Forced, not hoped for: the server runs in this
 * process with `--max-catching-up 1` and a seam holds the first socket before its catch-up.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCommandLine } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { createAdmission } from '../../server/realtime/admission.js';
import { serve, type RunningTidings } from '../../server/serve.js';
import { rememberSetupCode, signUp, type TestUser } from '../fixtures/api.js';
import { connectError, connectSocket, createSocket, nextEvent } from '../fixtures/sockets.js';

/** The first sign-up (ana) becomes admin with it, as the server fixture does. */
const SETUP_CODE = 'handoff-test-setup-code';

describe('admission control', () => {
  let dataDir: string;
  let server: RunningTidings;
  let ana: TestUser;
  let ben: TestUser;
  let hold: Promise<void> = Promise.resolve();
  let reached: () => void = () => undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tidings-admission-'));
    const command = parseCommandLine(
      ['--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir, '--max-catching-up', '1'],
      { TIDINGS_RATE_LIMITS: 'off', TIDINGS_SETUP_CODE: SETUP_CODE },
    );
    if (command.kind !== 'serve') throw new Error('expected a serve command');
    server = await serve(
      command.config,
      createLogger(() => undefined),
      {
        beforeCatchUp: async () => {
          reached();
          await hold;
        },
      },
    );
    rememberSetupCode(server.url, SETUP_CODE);
    ana = await signUp(server.url, 'ana');
    ben = await signUp(server.url, 'ben');
  });

  after(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a handshake beyond the limit with server_busy and a retry-after, then admits it', async () => {
    let release: () => void = () => undefined;
    hold = new Promise((resolve) => (release = resolve));
    const held = new Promise<void>((resolve) => (reached = resolve));
    const first = createSocket(server.url, { token: ana.token });
    const firstSync = nextEvent(first, 'sync');
    first.connect();
    await held; // ana's socket is admitted and has not had its sync

    const second = createSocket(server.url, { token: ben.token });
    const refused = connectError(second);
    second.connect();
    const error = await refused;
    assert.equal(error.data?.code, 'server_busy');
    assert.match(error.message, /try again/);
    assert.ok((error.data?.retryAfterMs ?? 0) >= 500, `retryAfterMs ${error.data?.retryAfterMs}`);
    second.close();

    hold = Promise.resolve();
    release();
    await firstSync;
    // The slot is free again once ana's sync went out: ben gets in.
    const { socket, sync } = await connectSocket(server.url, ben.token);
    assert.equal(sync.items.length, 0);
    socket.close();
    first.close();
  });

  it('the retry-after grows with the backlog, and a slot comes back when a socket is done or gone', () => {
    const admission = createAdmission(
      2,
      () => 0.999,
      () => 0,
    );
    const a = admission.tryAdmit();
    const b = admission.tryAdmit();
    assert.ok(a.admitted && b.admitted);
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const refused = admission.tryAdmit();
      assert.equal(refused.admitted, false);
      if (!refused.admitted) waits.push(refused.retryAfterMs);
    }
    assert.ok(
      waits.every((wait, i) => i === 0 || wait >= (waits[i - 1] ?? 0)),
      `waits grow with the backlog: ${waits.join(', ')}`,
    );
    a.done();
    a.done(); // twice gives back one slot, not two
    const c = admission.tryAdmit();
    assert.equal(c.admitted, true);
    assert.equal(admission.tryAdmit().admitted, false);
  });
});
