/**
 * Prometheus metrics (prom-client), served at GET /metrics. A registry of its own, so nothing
 * registered globally by a library leaks in and tests can create several.
 *
 * Node's default metrics keep their standard names (`process_cpu_seconds_total`,
 * `nodejs_heap_size_used_bytes`), which the common Node dashboards look for. `promtool check
 * metrics` passes clean (test/server/promtool.test.ts): prom-client's three gauges named
 * `nodejs_active_*_total` are left out, since only counters may end in `_total`; their per-type
 * twins (`nodejs_active_handles{type}`, ...) stay, and sum to the same.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NotificationType } from '../contract/wire.js';
import type { StoreLifecycle } from './store/store.js';

const TOTAL_NAMED_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

export function createMetrics(store: Pick<StoreLifecycle, 'stats'>) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  for (const name of TOTAL_NAMED_GAUGES) registry.removeSingleMetric(name);

  const connectedSockets = new Gauge({
    name: 'tidings_connected_sockets',
    help: 'Sockets connected now',
    registers: [registry],
  });
  const eventsPushed = new Counter({
    name: 'tidings_events_pushed_total',
    help: 'Notification events pushed to clients (a broadcast counts once)',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const writeSeconds = new Histogram({
    name: 'tidings_store_write_seconds',
    help: 'Time from a change to its durable write (includes the group-commit window)',
    labelNames: ['operation'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  new Gauge({
    name: 'tidings_store_last_write_seconds',
    help: 'Duration of the last write to disk, as the store measured it',
    registers: [registry],
    collect() {
      this.set(store.stats().lastWriteMs / 1000);
    },
  });
  new Gauge({
    name: 'tidings_store_folds_failed',
    help: 'Journal folds into a new snapshot that failed since start (lowdb; the store serves on)',
    registers: [registry],
    collect() {
      this.set(store.stats().foldsFailed ?? 0);
    },
  });
  new Gauge({
    name: 'tidings_store_last_fold_seconds',
    help: 'Duration of the last journal fold, in its worker thread (lowdb)',
    registers: [registry],
    collect() {
      this.set((store.stats().lastFoldMs ?? 0) / 1000);
    },
  });
  new Gauge({
    name: 'tidings_store_size_bytes',
    help: 'Size of the data on disk',
    registers: [registry],
    collect() {
      this.set(store.stats().bytes);
    },
  });
  const httpRequests = new Counter({
    name: 'tidings_http_requests_total',
    help: 'HTTP requests answered',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });

  return {
    registry,
    socketConnected: () => connectedSockets.inc(),
    socketDisconnected: () => connectedSockets.dec(),
    eventPushed: (type: NotificationType) => eventsPushed.inc({ type }),
    httpRequest: (method: string, route: string, status: number) =>
      httpRequests.inc({ method, route, status: String(status) }),
    /** Times a durable store operation. */
    async timeWrite<T>(operation: string, write: () => Promise<T>): Promise<T> {
      const end = writeSeconds.startTimer({ operation });
      try {
        return await write();
      } finally {
        end();
      }
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
