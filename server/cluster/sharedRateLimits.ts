/**
 * Rate-limit buckets in Redis, shared by every node (rate-limiter-flexible's RateLimiterRedis), so
 * ten sign-in attempts a minute means ten across the blog, not ten per node.
 *
 * While Redis is down each node falls back to its own in-memory bucket (the insurance limiter)
 * instead of failing every request: a limit then holds per node, and a login never waits on a
 * Redis that is not there (`rejectIfRedisNotReady`).
 */
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { LimiterFactory } from '../edge/rateLimits.js';
import type { RedisLink } from './redisLink.js';

export function redisLimiters(link: RedisLink): LimiterFactory {
  return (keyPrefix, points, duration) =>
    new RateLimiterRedis({
      storeClient: link.commands,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      keyPrefix: `tidings:limit:${keyPrefix}`,
      points,
      duration,
      insuranceLimiter: new RateLimiterMemory({ points, duration }),
    });
}
