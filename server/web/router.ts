/**
 * The blog's pages: an express router the HTTP app mounts after its API. It owns no business
 * rules: every change goes through the domain services (which also push the realtime events), and
 * the schemas are the contract's. Forms work without JavaScript (POST-redirect-GET); the page
 * script only enhances them.
 */
import express, { Router } from 'express';
import { fileURLToPath } from 'node:url';
import type { WebDependencies } from './dependencies.js';
import { renderNotFound } from './pages/problem.js';
import { pageErrorHandler, sendPage } from './responses.js';
import { accountRoutes } from './routes/accounts.js';
import { adminRoutes } from './routes/admin.js';
import { deviceRoutes } from './routes/devices.js';
import { feedRoutes } from './routes/feeds.js';
import { notificationRoutes } from './routes/notifications.js';
import { readingRoutes } from './routes/reading.js';
import { writingRoutes } from './routes/writing.js';
import { createRenderedPosts } from './renderedPosts.js';
import { pageSecurityHeaders } from './security.js';
import { createVisitors } from './visitors.js';

export type { WebDependencies } from './dependencies.js';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));
/** The API and the realtime transport have their own error formats; the pages stay out of them. */
const NOT_PAGES = /^\/(api|socket\.io)(\/|$)|^\/(healthz|metrics)$/;

export function createWebRouter(dependencies: WebDependencies): Router {
  const visitors = createVisitors(dependencies.accounts, dependencies.inbox);
  const routes = { ...dependencies, visitors, renderedPosts: createRenderedPosts() };
  const router = Router();

  router.use((req, _res, next) => (NOT_PAGES.test(req.path) ? next('router') : next()));
  router.use(pageSecurityHeaders);
  router.use('/assets', express.static(STATIC_DIR, { fallthrough: false, index: false }));
  // The same for every visitor: served before any session or CSRF work.
  router.use(feedRoutes(dependencies));
  // Every other page is personal: the viewer's name and count, a CSRF token bound to the visitor.
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  router.use(visitors.resolve);
  // Before any handler: a form POST without the visitor's token changes nothing.
  router.use(visitors.requireCsrfToken);

  router.use(readingRoutes(routes));
  router.use(accountRoutes(routes));
  router.use(deviceRoutes(routes));
  router.use(writingRoutes(routes));
  router.use(adminRoutes(routes));
  router.use(notificationRoutes(routes));

  // Unknown pages; other methods fall through to the API's JSON 404.
  router.get(/.*/, (req, res) => sendPage(res, renderNotFound(visitors.of(req).context), 404));
  router.use(pageErrorHandler(dependencies.log, visitors.contextOf));
  return router;
}
