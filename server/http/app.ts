/**
 * The express app, assembled from routers. Order matters: security headers, metrics, the origin
 * guard, then the JSON body parser (size-limited), the API, any extra routers (the blog's pages
 * plug in here), and last the JSON 404 and the error handler.
 */
import express, { type Router } from 'express';
import helmet from 'helmet';
import { LIMITS } from '../../contract/wire.js';
import type { OriginPolicy } from '../edge/origins.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { adminRoutes } from './adminRoutes.js';
import { authRoutes } from './authRoutes.js';
import { originGuard } from './cors.js';
import { errorHandler, notFound } from './errors.js';
import { notificationRoutes } from './notificationRoutes.js';
import { opsRoutes } from './opsRoutes.js';
import { postRoutes } from './postRoutes.js';
import type { RouteDependencies } from './routes.js';

export interface HttpAppOptions {
  routes: RouteDependencies;
  metrics: Metrics;
  log: Logger;
  version: string;
  origins: OriginPolicy;
  trustProxy: boolean;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Routers mounted after the API, e.g. the blog's web pages. */
  extraRouters?: Router[];
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const app = express();
  // Express matches /metrics/ and /METRICS to '/metrics' by default, so a proxy rule that guards
  // one spelling let the others through. Routers that guard something are strict too.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.disable('x-powered-by');
  // One reverse proxy in front: req.ip is then the client's address, for per-IP rate limits.
  app.set('trust proxy', options.trustProxy ? 1 : false);
  app.use(helmet());
  app.use((req, res, next) => {
    res.on('finish', () => {
      const route = req.route?.path;
      options.metrics.httpRequest(
        req.method,
        typeof route === 'string' ? route : 'unmatched',
        res.statusCode,
      );
    });
    next();
  });
  app.use(opsRoutes(options.metrics, options.version, options.metricsToken));
  app.use(originGuard(options.origins));
  app.use((req, res, next) => {
    // API replies are personal (a user's inbox, their token); no cache along the way keeps them.
    if (/^\/api\//i.test(req.path)) res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(express.json({ limit: LIMITS.httpBodyBytes }));
  app.use(authRoutes(options.routes));
  app.use(postRoutes(options.routes));
  app.use(notificationRoutes(options.routes));
  app.use(adminRoutes(options.routes));
  for (const router of options.extraRouters ?? []) app.use(router);
  app.use(notFound);
  app.use(errorHandler(options.log));
  return app;
}
