/**
 * Whether the machine is quiet enough for the bench's figures to mean anything (issue 14).
 * Before each scenario, with none of the bench's own processes running, it prints the load
 * average and samples how busy the CPUs are for SAMPLE_MS. When other processes keep more than
 * BUSY_CORES_LIMIT of a core busy, the scenario's figures are not reportable: the scenario is
 * refused, unless `--force`, which runs it and marks every figure it prints as not reportable.
 *
 * The load average alone is not the gate: it trails the previous scenario's own processes by
 * a minute or more, while the CPU sample sees only what runs now.
 */
import { readFile } from 'node:fs/promises';

/** Half a core: another process holding that much moves fan-out latency by tens of percent. */
export const BUSY_CORES_LIMIT = 0.5;
const SAMPLE_MS = 2_000;

interface CpuTimes {
  busy: number;
  total: number;
}

/** Jiffies over all CPUs, from the first line of /proc/stat. */
async function cpuTimes(): Promise<CpuTimes> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

export interface MachineLoad {
  loadAverage: string;
  /** Cores kept busy by other processes during the sample. */
  busyCores: number;
  reportable: boolean;
}

export async function sampleMachineLoad(cores: number): Promise<MachineLoad> {
  const loadAverage = (await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ');
  const before = await cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
  const after = await cpuTimes();
  const busyCores = ((after.busy - before.busy) / Math.max(1, after.total - before.total)) * cores;
  return { loadAverage, busyCores, reportable: busyCores <= BUSY_CORES_LIMIT };
}

/**
 * Prints the machine's load before a scenario; returns whether to run it. Refused scenarios say
 * why; forced ones say their figures are not reportable.
 */
export type Gate = 'reportable' | 'forced' | 'refused';

export async function gateScenario(name: string, cores: number, force: boolean): Promise<Gate> {
  const load = await sampleMachineLoad(cores);
  const line = `  [${name}] load average ${load.loadAverage}; other processes kept ${load.busyCores.toFixed(2)} of ${cores} cores busy over ${SAMPLE_MS / 1000} s (limit ${BUSY_CORES_LIMIT})`;
  if (load.reportable) {
    console.log(`${line}: quiet enough, figures reportable`);
    return 'reportable';
  }
  if (force) {
    console.log(`${line}: --force given, figures below are NOT REPORTABLE`);
    return 'forced';
  }
  console.log(
    `${line}: REFUSED, another process holds a share of the cores the server and clients need, so its latency and CPU figures would measure that process. Run again on a quiet machine, or with --force to run anyway (figures marked not reportable).`,
  );
  return 'refused';
}
