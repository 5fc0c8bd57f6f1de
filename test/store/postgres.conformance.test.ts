/**
 * The Store conformance suite against the PostgreSQL driver: one throwaway cluster for the file
 * (test/fixtures/postgres.ts), a fresh database for each test.
 */
import { after, before } from 'node:test';
import { createPostgresStore } from '../../server/store/postgres/index.js';
import type { Store } from '../../server/store/store.js';
import { startPostgres, type RunningPostgres } from '../fixtures/postgres.js';
import { storeConformance } from './conformance/index.js';

let postgres: RunningPostgres | undefined;
before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres?.cleanup();
});

async function openOn(connectionString: string): Promise<Store> {
  const store = createPostgresStore({ connectionString });
  await store.open();
  return store;
}

storeConformance({
  name: 'postgres',
  async open() {
    if (!postgres) throw new Error('the PostgreSQL fixture did not start');
    const url = await postgres.createDatabase();
    let store = await openOn(url);
    return {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = await openOn(url);
        return store;
      },
      cleanup: () => store.close(),
    };
  },
});
