// Loaded into a server by NODE_OPTIONS=--import=… (bench/catchUpCpu.ts): on SIGUSR2 it prints
// how many bytes the JS heap has allocated since the process started. V8 keeps no such total;
// it is summed from v8.GCProfiler's records, each collection's heap size before it minus the
// size after the one before, plus the growth since the last collection. Sampling heap profiles
// (the sixth pass) give where; this gives how much, cheaply enough to run beside the CPU figure.
import { GCProfiler, getHeapStatistics } from 'node:v8';

let profiler = new GCProfiler();
profiler.start();
let allocated = 0;
let lastUsed = getHeapStatistics().used_heap_size;
process.on('SIGUSR2', () => {
  for (const { beforeGC, afterGC } of profiler.stop().statistics) {
    allocated += beforeGC.heapStatistics.usedHeapSize - lastUsed;
    lastUsed = afterGC.heapStatistics.usedHeapSize;
  }
  profiler = new GCProfiler();
  profiler.start();
  const used = getHeapStatistics().used_heap_size;
  allocated += used - lastUsed;
  lastUsed = used;
  process.stderr.write(`allocated bytes ${allocated}\n`);
});
