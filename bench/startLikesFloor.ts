/** Starts bench/likesFloor.ts (the likes' floor) in its own process, like the real server, and stops it by PID. */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signalAndWait, spawnListening } from '../test/fixtures/childProcess.js';
import type { LikesFloorData, LikesFloorStats } from './likesFloor.js';
import type { BareServer } from './startBareServer.js';

const SCRIPT = fileURLToPath(new URL('./likesFloor.ts', import.meta.url));

export interface LikesFloor extends BareServer {
  /** The journal it appends to. */
  journal: string;
  /** Its own figures since the last call, which starts them again. */
  stats(): Promise<LikesFloorStats>;
}

/**
 * `dir` is a directory the caller owns, on the disk to measure (the seeded data's): the data file
 * and the journal are written there and removed on stop.
 */
export async function startLikesFloor(
  data: LikesFloorData,
  dir: string,
  durability: 'power' | 'kill9',
): Promise<LikesFloor> {
  const dataFile = join(dir, 'floor-data.json');
  const journal = join(dir, 'floor.journal');
  await writeFile(dataFile, JSON.stringify(data));
  const { url, child, output } = await spawnListening('the likes floor', process.execPath, [
    '--import',
    'tsx',
    SCRIPT,
    dataFile,
    journal,
    durability,
  ]);
  return {
    url,
    child,
    output,
    journal,
    async stats() {
      const response = await fetch(new URL('/floor-stats', url), {
        signal: AbortSignal.timeout(15_000),
      });
      if (!response.ok) throw new Error(`the likes floor's stats: HTTP ${response.status}`);
      return (await response.json()) as LikesFloorStats;
    },
    async stop() {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await signalAndWait(child, 'SIGTERM');
      clearTimeout(timer);
      await rm(dataFile, { force: true });
      await rm(journal, { force: true });
    },
  };
}
