/**
 * Rate limits for every edge (HTTP API, sockets, blog pages), with rate-limiter-flexible. Each
 * check either passes or throws a DomainError `rate_limited` saying when to retry. With limits
 * turned off every check passes.
 *
 * The limits live in this process's memory on a single node. When several nodes share a blog,
 * the caller passes a `LimiterFactory` that keeps the buckets in Redis (server/cluster/), so a
 * limit holds across the nodes. To add a limit: a config field, a limiter from the factory, and
 * a named check in `RateLimits`.
 *
 * Keys: per address (an IPv6 /64 counts as one address: one customer usually holds a whole /64),
 * per account name, or per user id (never per socket id, which a reconnect renews).
 */
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export interface RateLimits {
  login(ip: string, username: string): Promise<void>;
  register(ip: string): Promise<void>;
  publish(userId: string): Promise<void>;
  /** Requests sent on sockets, counted per user across all their sockets and reconnects. */
  socketEvent(userId: string): Promise<void>;
  /** Socket handshakes per address. */
  handshake(ip: string): Promise<void>;
}

/**
 * The key an address is limited under: IPv4 as it is (also when written as ::ffff:a.b.c.d), IPv6
 * by its /64 network, since whoever holds one address usually holds the 2^64 beside it.
 */
export function addressKey(ip: string): string {
  const bare = ip.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) is not part of the address
  if (!ipaddr.isValid(bare)) return bare;
  const address = ipaddr.parse(bare);
  if (address.kind() === 'ipv4') return address.toString();
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const network = v6.parts.slice(0, 4).concat([0, 0, 0, 0]);
  return `${new ipaddr.IPv6(network).toString()}/64`;
}

/** Makes the limiter of one kind of bucket; `keyPrefix` keeps the kinds apart in a shared store. */
export type LimiterFactory = (
  keyPrefix: string,
  points: number,
  durationSeconds: number,
) => RateLimiterAbstract;

const inMemory: LimiterFactory = (keyPrefix, points, duration) =>
  new RateLimiterMemory({ keyPrefix, points, duration });

async function consume(limiter: RateLimiterAbstract, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new DomainError('rate_limited', `Too many ${what}; try again in ${seconds} s.`, seconds);
  }
}

export function createRateLimits(
  config: RateLimitConfig,
  limiterFor: LimiterFactory = inMemory,
): RateLimits {
  if (!config.enabled) {
    const pass = async (): Promise<void> => undefined;
    return { login: pass, register: pass, publish: pass, socketEvent: pass, handshake: pass };
  }
  const loginPerAccount = limiterFor('login-account', config.loginPerAccountPerMinute, MINUTE);
  const loginPerIp = limiterFor('login-ip', config.loginPerIpPerMinute, MINUTE);
  const registerPerIp = limiterFor('register-ip', config.registerPerIpPerHour, HOUR);
  const publishPerUser = limiterFor('publish-user', config.publishPerUserPerMinute, MINUTE);
  const socketEvents = limiterFor('socket-user', config.socketEventsPerMinute, MINUTE);
  const handshakes = limiterFor('handshake-ip', config.handshakesPerIpPerMinute, MINUTE);
  return {
    async login(ip, username) {
      await consume(loginPerIp, addressKey(ip), 'sign-in attempts from this address');
      await consume(loginPerAccount, username.toLowerCase(), 'sign-in attempts for this account');
    },
    register: (ip) => consume(registerPerIp, addressKey(ip), 'registrations from this address'),
    publish: (userId) => consume(publishPerUser, userId, 'posts'),
    socketEvent: (userId) => consume(socketEvents, userId, 'requests from this account'),
    handshake: (ip) => consume(handshakes, addressKey(ip), 'connections from this address'),
  };
}
