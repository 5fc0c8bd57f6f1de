import assert from 'node:assert/strict';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { test } from 'node:test';
import { collectStartGarbage } from '../../server/startGarbage.js';

/** The garbage collections V8 reports while `run` runs, by kind. */
async function collectionsDuring(run: () => void): Promise<PerformanceEntry[]> {
  const seen: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => seen.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  run();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return seen;
}

/** Node puts a GC entry's kind in `detail`, which its PerformanceEntry type does not declare. */
const isFull = (entry: PerformanceEntry) =>
  (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
  constants.NODE_PERFORMANCE_GC_MAJOR;

test('collectStartGarbage runs one full collection', async () => {
  const entries = await collectionsDuring(() => {
    const ms = collectStartGarbage();
    assert.ok(ms >= 0);
  });
  assert.ok(entries.some(isFull), `a full collection was reported (saw ${entries.length} in all)`);
});

test('collectStartGarbage leaves no gc() on the global object', () => {
  collectStartGarbage();
  assert.equal((globalThis as { gc?: unknown }).gc, undefined);
});

test('a process can collect at start more than once', async () => {
  const entries = await collectionsDuring(() => {
    collectStartGarbage();
    collectStartGarbage();
  });
  assert.ok(entries.filter(isFull).length >= 2);
});
