/**
 * What one connected socket is made of (issue 14: memory per connection): heap snapshots of a
 * real server before and after N WebSocket clients connect and get their `sync`, and the
 * difference per socket by kind of object (V8's constructor name, or the kind for strings,
 * arrays, closures, code and the rest): count and self size per socket, biggest first. What
 * lives outside V8's heap (libuv handles, Node's native parts, malloc) is the difference between
 * bench/connectionMemory.ts's resident and heap figures.
 *
 *   node scripts/build.mjs && node --import tsx bench/connectionHeap.ts [N, default 2000] [rows]
 *
 * With --keep the two snapshots are left in place (their paths printed) for Chrome DevTools.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '../test/fixtures/server.js';
import { askServer, readBeforeAndAfterSockets, runToExit } from './socketsBeforeAfter.js';

const keep = process.argv.includes('--keep');
const [count, shown] = process.argv.slice(2).filter((arg) => arg !== '--keep');
const n = Number(count ?? 2_000);
const rows = Number(shown ?? 40);
const SNAPSHOT_ENTRY = fileURLToPath(new URL('./heapSnapshotEntry.mjs', import.meta.url));
const MEMORY_LINE = /memory after gc: rss (\d+) heapUsed (\d+) external (\d+) snapshot (\S+)/g;

interface Sample {
  heap: number;
  external: number;
  file: string;
}

async function sample(server: RunningServer): Promise<Sample> {
  const [, , heap, external, file] = await askServer(server, MEMORY_LINE, 120_000);
  return { heap: Number(heap), external: Number(external), file: file ?? '' };
}

interface Kind {
  count: number;
  bytes: number;
}

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] }; node_count: number };
  nodes: number[];
  strings: string[];
}

async function readSnapshot(file: string): Promise<HeapSnapshot> {
  const chunks: Buffer[] = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshot;
}

/** Objects by kind: constructor name for objects, the V8 kind for the rest. */
async function kindsOf(file: string): Promise<Map<string, Kind>> {
  const { snapshot, nodes, strings } = await readSnapshot(file);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const kinds = new Map<string, Kind>();
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + (typeAt ?? 0)] ?? 0] ?? '?';
    const name = strings[nodes[i + (nameAt ?? 1)] ?? 0] ?? '?';
    const key =
      type === 'object' || type === 'native'
        ? name
        : type === 'string' || type === 'concatenated string' || type === 'sliced string'
          ? `(${type})`
          : `(${type}) ${name.slice(0, 60)}`;
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 };
    kind.count += 1;
    kind.bytes += nodes[i + (sizeAt ?? 3)] ?? 0;
    kinds.set(key, kind);
  }
  return kinds;
}

async function main(): Promise<void> {
  const snapshots = await mkdtemp(join(tmpdir(), 'tidings-heap-'));
  try {
    const { before, after } = await readBeforeAndAfterSockets({
      n,
      entry: SNAPSHOT_ENTRY,
      env: { TIDINGS_HEAP_SNAPSHOT_PREFIX: join(snapshots, 'server') },
      read: sample,
    });
    const [was, now] = [await kindsOf(before.file), await kindsOf(after.file)];
    const perSocket = [...now]
      .map(([key, { count, bytes }]) => {
        const old = was.get(key) ?? { count: 0, bytes: 0 };
        return { key, count: (count - old.count) / n, bytes: (bytes - old.bytes) / n };
      })
      .sort((a, b) => b.bytes - a.bytes);
    const total = perSocket.reduce((sum, kind) => sum + kind.bytes, 0);
    console.log(`${n} sockets; per socket, the snapshots' difference (self sizes):`);
    console.log('| kind | count | bytes |\n|---|---|---|');
    for (const kind of perSocket.slice(0, rows)) {
      console.log(`| ${kind.key} | ${kind.count.toFixed(2)} | ${kind.bytes.toFixed(0)} |`);
    }
    const rest = perSocket.slice(rows).reduce((sum, kind) => sum + kind.bytes, 0);
    console.log(`| the other ${perSocket.length - rows} kinds | | ${rest.toFixed(0)} |`);
    console.log(`| all, in the snapshots | | ${total.toFixed(0)} |`);
    // Resident memory is not compared here: writing the first snapshot grows it by tens of MB.
    // bench/connectionMemory.ts reads it without snapshots.
    const per = (a: number, b: number): string => ((a - b) / n).toFixed(0);
    console.log(
      `after a full GC, per socket: heap used ${per(after.heap, before.heap)} B, ` +
        `external ${per(after.external, before.external)} B`,
    );
  } finally {
    if (keep) console.log(`snapshots kept in ${snapshots}`);
    else await rm(snapshots, { recursive: true, force: true });
  }
}

runToExit('connection heap', main);
