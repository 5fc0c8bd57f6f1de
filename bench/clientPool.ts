/**
 * The orchestrator's side of the client processes: forks them (through tsx, like the bench
 * itself), sends orders and waits for answers, each wait bounded. `close()` ends them by PID.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ClientUser, FromClient, LikeOrder, ToClient } from './protocol.js';
import { threadsCpuTimeMs } from './stats.js';

const CLIENT_SCRIPT = fileURLToPath(new URL('./clientProcess.ts', import.meta.url));

type Answer<T extends FromClient['type']> = Extract<FromClient, { type: T }>;

export class ClientProcess {
  readonly #child: ChildProcess;
  #inbox: FromClient[] = [];
  #waiters: (() => void)[] = [];

  constructor() {
    this.#child = fork(CLIENT_SCRIPT, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#child.on('message', (message: FromClient) => {
      this.#inbox.push(message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.#child.on('exit', () => {
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  /** For reading its CPU time from /proc (the likes' CPU per like). */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  async ask<T extends FromClient['type']>(
    order: ToClient,
    answer: T,
    timeoutMs: number,
  ): Promise<Answer<T>> {
    this.#child.send(order);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.#inbox.findIndex((message) => message.type === answer);
      if (index >= 0) return this.#inbox.splice(index, 1)[0] as Answer<T>;
      if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
        throw new Error(`a client process exited before answering ${order.type}`);
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`a client process did not answer ${order.type} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1_000));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = once(this.#child, 'exit');
    if (this.#child.connected) this.#child.send({ type: 'close' } satisfies ToClient);
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

export class ClientPool {
  readonly processes: ClientProcess[];

  constructor(count: number) {
    this.processes = Array.from({ length: count }, () => new ClientProcess());
  }

  /** Every client process's CPU time so far, in ms, summed (bench/stats.ts threadsCpuTimeMs). */
  async cpuTimeMs(): Promise<number> {
    let total = 0;
    for (const client of this.processes) total += await threadsCpuTimeMs(client.pid);
    return total;
  }

  /** Spreads the users over the processes and connects them all; returns ok count and time. */
  async connect(url: string, users: ClientUser[], reconnect: boolean, timeoutMs: number) {
    const shares = split(users, this.processes.length);
    const started = performance.now();
    const answers = await Promise.all(
      this.processes.map((client, i) =>
        client.ask(
          { type: 'connect', url, users: shares[i] ?? [], reconnect, parallel: 100 },
          'connected',
          timeoutMs,
        ),
      ),
    );
    const failed = answers.flatMap((answer) => answer.failed);
    return {
      ok: answers.reduce((sum, answer) => sum + answer.ok, 0),
      failed,
      ms: performance.now() - started,
    };
  }

  async status() {
    const all = await Promise.all(
      this.processes.map((c) => c.ask({ type: 'status' }, 'status', 10_000)),
    );
    return {
      sockets: all.reduce((sum, s) => sum + s.sockets, 0),
      connected: all.reduce((sum, s) => sum + s.connected, 0),
      fewestPosts: Math.min(...all.map((s) => s.fewestPosts)),
      duplicates: all.reduce((sum, s) => sum + s.duplicates, 0),
      busyRefusals: all.reduce((sum, s) => sum + s.busyRefusals, 0),
      syncedSinceLost: all.reduce((sum, s) => sum + s.syncedSinceLost, 0),
    };
  }

  /** Every socket's way back since it last lost its connection (bench/stormTimeline.ts). */
  async timeline() {
    const all = await Promise.all(
      this.processes.map((c) => c.ask({ type: 'timeline' }, 'timeline', 30_000)),
    );
    return all.flatMap((answer) => answer.outages);
  }

  async collect() {
    const all = await Promise.all(
      this.processes.map((c) => c.ask({ type: 'collect' }, 'collected', 30_000)),
    );
    return {
      fanoutMs: all.flatMap((answer) => answer.fanoutMs),
      likeReceipts: new Map(all.flatMap((answer) => answer.likeReceipts)),
    };
  }

  /** Every socket closed and forgotten: the same processes then drive another server. */
  async reset(): Promise<void> {
    await Promise.all(this.processes.map((c) => c.ask({ type: 'reset' }, 'reset', 30_000)));
  }

  /** Each process sends its share of the likes at its share of the rate. */
  async like(url: string, likes: LikeOrder[], perSecond: number, timeoutMs: number) {
    const shares = split(likes, this.processes.length);
    const all = await Promise.all(
      this.processes.map((client, i) =>
        client.ask(
          {
            type: 'like',
            url,
            likes: shares[i] ?? [],
            perSecond: perSecond / this.processes.length,
          },
          'liked',
          timeoutMs,
        ),
      ),
    );
    return {
      sent: new Map(all.flatMap((answer) => answer.sent)),
      failed: all.flatMap((answer) => answer.failed),
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((client) => client.close()));
  }
}

function split<T>(items: T[], parts: number): T[][] {
  return Array.from({ length: parts }, (_, part) => items.filter((_, i) => i % parts === part));
}

/** Polls `check` until it returns true, at most `timeoutMs`; returns whether it did. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    // Not tighter: every check wakes every client process, on the same two cores as the server.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}
