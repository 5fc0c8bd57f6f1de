/**
 * What a node needs only when several nodes share a blog through Redis (--redis-url). serve.ts
 * imports this on demand: the Redis client and socket.io's Redis adapter are about 650 of the
 * 1,100 modules a server loads, about a quarter of its start, and a restart under a reconnect
 * storm waits for that start (issue 14, docs/BENCHMARKS.md).
 */
export { connectRedis } from './redisLink.js';
export { redisLimiters } from './sharedRateLimits.js';
export { shareSocketCapThroughRedis } from './sharedSocketCap.js';
export { shareSocketsThroughRedis } from './sharedSockets.js';
