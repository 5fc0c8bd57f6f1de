/**
 * What a node needs only when it shares the blog through Redis (--redis-url), in the one module
 * serve.ts loads on demand: Redis's client and socket.io's Redis adapter, which a node on its
 * own never uses, cost about 15 MB resident (docs/BENCHMARKS.md, "Resident memory, fourth pass").
 */
export { connectRedis } from './redisLink.js';
export { redisLimiters } from './sharedRateLimits.js';
export { shareSocketCapThroughRedis } from './sharedSocketCap.js';
export { shareSocketsThroughRedis } from './sharedSockets.js';
