/**
 * Redis cannot be reached at start; the CLI prints the message. Here, apart from the Redis client,
 * so the CLI can know it without loading that client (cluster/redisParts.ts).
 */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
}
