/**
 * Rate limits (rate-limiter-flexible). Each check either passes or throws a DomainError
 * `rate_limited` saying when to retry. With limits turned off every check passes.
 *
 * The buckets of logins, sign-ups and posts live in memory on a single node, and wherever
 * `sharedLimiter` puts them when several nodes share a blog (Redis: server/cluster/), so a limit
 * holds across nodes. A socket's own bucket stays in memory: a socket lives on one node.
 */
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export interface RateLimits {
  login(ip: string, username: string): Promise<void>;
  register(ip: string): Promise<void>;
  publish(userId: string): Promise<void>;
  socketEvent(socketId: string): Promise<void>;
  /** Frees the per-socket bucket when a socket leaves. */
  forgetSocket(socketId: string): void;
}

/** Makes the limiter for one kind of bucket; `name` keeps the kinds apart in a shared store. */
export type LimiterFactory = (
  name: string,
  points: number,
  durationSeconds: number,
) => RateLimiterAbstract;

const inMemory: LimiterFactory = (_name, points, duration) =>
  new RateLimiterMemory({ points, duration });

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
  sharedLimiter: LimiterFactory = inMemory,
): RateLimits {
  if (!config.enabled) {
    const pass = async (): Promise<void> => undefined;
    return {
      login: pass,
      register: pass,
      publish: pass,
      socketEvent: pass,
      forgetSocket: () => undefined,
    };
  }
  const loginPerAccount = sharedLimiter('login-account', config.loginPerAccountPerMinute, MINUTE);
  const loginPerIp = sharedLimiter('login-ip', config.loginPerIpPerMinute, MINUTE);
  const registerPerIp = sharedLimiter('register-ip', config.registerPerIpPerHour, HOUR);
  const publishPerUser = sharedLimiter('publish-user', config.publishPerUserPerMinute, MINUTE);
  const socketEvents = inMemory('socket', config.socketEventsPerMinute, MINUTE);
  return {
    async login(ip, username) {
      await consume(loginPerIp, ip, 'sign-in attempts from this address');
      await consume(loginPerAccount, username.toLowerCase(), 'sign-in attempts for this account');
    },
    register: (ip) => consume(registerPerIp, ip, 'registrations from this address'),
    publish: (userId) => consume(publishPerUser, userId, 'posts'),
    socketEvent: (socketId) => consume(socketEvents, socketId, 'requests on this connection'),
    forgetSocket: (socketId) => void socketEvents.delete(socketId),
  };
}
