// The server's own entry (dist/server/cli.js), wrapped for bench/connectionMemory.ts: on SIGUSR2
// it collects garbage fully and prints its memory, so per-connection figures compare live heap
// rather than whenever V8 last collected (RSS alone moved by ±4 KB per connection between runs).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');
process.on('SIGUSR2', () => {
  collectGarbage();
  collectGarbage();
  const { rss, heapUsed, external } = process.memoryUsage();
  process.stderr.write(`memory after gc: rss ${rss} heapUsed ${heapUsed} external ${external}\n`);
});
await import(new URL('../dist/server/cli.js', import.meta.url).href);
