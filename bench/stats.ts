/** Summaries of latency samples: the median, the 99th percentile and the worst. */
import { readdir, readFile } from 'node:fs/promises';

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: at(1) };
}

export function formatMs(ms: number): string {
  return Number.isNaN(ms) ? 'n/a' : `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function describe(summary: Summary): string {
  return `p50 ${formatMs(summary.p50)}, p99 ${formatMs(summary.p99)}, max ${formatMs(summary.max)} (n=${summary.count})`;
}

/** A figure over its floor's, as the fan-out and the likes print it: "1.63×". */
export const ratio = (value: number, floor: number): string =>
  floor > 0 ? `${(value / floor).toFixed(2)}×` : 'n/a (floor 0)';

/** Resident memory of a process in bytes, from /proc (Linux only, like the rest of the bench). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (clock ticks of 10 ms: coarse). */
export async function cpuTimeMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10;
}

/**
 * CPU time the threads of a process have used so far, in ms with nanosecond resolution: the sum
 * of each live thread's `/proc/<pid>/task/<tid>/schedstat` (time on a CPU, in ns). /proc/<pid>/stat
 * counts in 10 ms ticks, too coarse for a post that costs 5 to 15 ms (issue 14, fan-out to 200).
 * Exact for threads that are not on a CPU at the moment of reading (a running thread's figure
 * lags until the scheduler next updates it), and threads that have ended are not counted: read
 * it while the process is idle and keeps its threads (the main thread, libuv's pool, V8's
 * helpers), as the fan-out scenario does at the end of each quiet gap.
 */
export async function threadsCpuTimeMs(pid: number): Promise<number> {
  let nanoseconds = 0;
  for (const thread of await readdir(`/proc/${pid}/task`)) {
    // A thread may end between the listing and the read: it then counts as nothing.
    const line = await readFile(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').catch(() => '0');
    nanoseconds += Number(line.split(' ')[0]);
  }
  return nanoseconds / 1e6;
}

/**
 * The PIDs whose parent is `parent` (from /proc/<pid>/stat): PostgreSQL's backends, say. A process
 * that ends during the scan is left out.
 */
export async function childPids(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    // The fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === parent) children.push(Number(entry));
  }
  return children;
}

/**
 * The kernel's TCP counters by name (/proc/net/netstat's TcpExt line), for the whole network
 * namespace: every process on the box counts in them, so a difference over a run is an upper
 * bound for that run. ListenOverflows counts connections dropped because a listening socket's
 * accept queue (its backlog) was full; the client's SYN is then retried after 1 s, 3 s, 7 s, …
 */
export async function tcpCounters(names: string[]): Promise<number[]> {
  const lines = (await readFile('/proc/net/netstat', 'utf8')).split('\n');
  const [header, values] = lines.filter((line) => line.startsWith('TcpExt:'));
  const keys = header?.split(' ') ?? [];
  const numbers = values?.split(' ') ?? [];
  return names.map((name) => Number(numbers[keys.indexOf(name)] ?? Number.NaN));
}
