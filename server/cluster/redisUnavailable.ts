/** Redis cannot be reached at start; the CLI prints the message. Apart from redisLink.ts, so the
 * CLI can name it without loading the Redis client (server/cluster/redisParts.ts says why). */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
