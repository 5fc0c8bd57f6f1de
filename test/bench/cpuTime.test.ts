/**
 * The fan-out scenario's server CPU per post (issue 14) is read from outside the server, from
 * /proc. It must be as fine as the CPU time the process itself sees: /proc/<pid>/stat counts in
 * 10 ms ticks, too coarse to tell 1.5× from 1.63× of an 8 ms post. A real child process works
 * until its own `process.cpuUsage()` stands halfway between two ticks, reports it and goes idle
 * (as the server is at the end of each post's quiet gap); the bench's reading must agree with
 * it. It asserts agreement of two CPU counters, never how fast anything is.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { threadsCpuTimeMs } from '../../bench/stats.js';

const CHILD = `
const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const out = process.stdout; // created now, so its start-up cost falls before the span
process.stdin.resume();
const target = Math.ceil((cpuMs() + 20) / 10) * 10 + 5;
let spin = 0;
while (cpuMs() < target) spin += Math.sqrt(spin + 1);
const used = cpuMs();
out.write(String(used) + '\\n');
`;

describe("the bench's CPU time of a process", () => {
  it('agrees with the process’s own cpuUsage to well under one 10 ms tick', async () => {
    const child = spawn(process.execPath, ['-e', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const own = Number(chunk.toString());
      // Idle now, waiting on stdin: nothing of its CPU time is still being counted.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const read = await threadsCpuTimeMs(child.pid as number);
      assert.ok(
        Math.abs(read - own) < 2,
        `read ${read.toFixed(3)} ms from /proc, the process saw ${own.toFixed(3)} ms`,
      );
    } finally {
      child.kill();
    }
  });
});
