/**
 * Rate limits (rate-limiter-flexible, in memory: one server process holds them). Each check
 * either passes or throws a DomainError `rate_limited` saying when to retry. With limits turned
 * off every check passes.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
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

async function consume(limiter: RateLimiterMemory, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw new DomainError('rate_limited', `Too many ${what}; try again in ${seconds} s.`, seconds);
  }
}

export function createRateLimits(config: RateLimitConfig): RateLimits {
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
  const limiter = (points: number, duration: number) => new RateLimiterMemory({ points, duration });
  const loginPerAccount = limiter(config.loginPerAccountPerMinute, MINUTE);
  const loginPerIp = limiter(config.loginPerIpPerMinute, MINUTE);
  const registerPerIp = limiter(config.registerPerIpPerHour, HOUR);
  const publishPerUser = limiter(config.publishPerUserPerMinute, MINUTE);
  const socketEvents = limiter(config.socketEventsPerMinute, MINUTE);
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
