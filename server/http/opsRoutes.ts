/**
 * For operators and monitors: liveness with the version, and Prometheus metrics. The router is
 * strict and case-sensitive: a reverse proxy that refuses `/metrics` must not be passed by
 * `/metrics/` or `/METRICS`. With a metrics token, /metrics also needs `Authorization: Bearer`
 * (Prometheus' `authorization` scrape setting), so it is safe even where no proxy guards it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Router, type RequestHandler } from 'express';
import { API, PROTOCOL_VERSION, type HealthResponse } from '../../contract/wire.js';
import type { Metrics } from '../metrics.js';
import { sendError } from './errors.js';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
function requireBearer(token: string): RequestHandler {
  const expected = digest(token);
  return (req, res, next) => {
    const given = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer realm="tidings metrics"');
    sendError(res, 'unauthorized', 'The metrics need the bearer token set with --metrics-token.');
  };
}

export function opsRoutes(metrics: Metrics, version: string, metricsToken?: string): Router {
  const router = Router({ caseSensitive: true, strict: true });
  const health: HealthResponse = {
    ok: true,
    service: 'tidings',
    version,
    protocolVersion: PROTOCOL_VERSION,
  };

  router.get(API.health, (_req, res) => {
    res.json(health);
  });

  const guard: RequestHandler[] = metricsToken === undefined ? [] : [requireBearer(metricsToken)];
  router.get(API.metrics, ...guard, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
