/** For operators and monitors: liveness with the version, and Prometheus metrics. */
import { Router } from 'express';
import { API, PROTOCOL_VERSION, type HealthResponse } from '../../contract/wire.js';
import type { Metrics } from '../metrics.js';

export function opsRoutes(metrics: Metrics, version: string): Router {
  const router = Router();
  const health: HealthResponse = {
    ok: true,
    service: 'tidings',
    version,
    protocolVersion: PROTOCOL_VERSION,
  };

  router.get(API.health, (_req, res) => {
    res.json(health);
  });

  router.get(API.metrics, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return router;
}
