/** The PostgreSQL driver's AnnouncementStore: one event per announcement, whatever the audience. */
import type { AnnouncementStore } from '../store.js';
import { announcementEvent } from '../newRecords.js';
import type { PostgresEngine } from './engine.js';

export function announcementQueries(engine: PostgresEngine): AnnouncementStore {
  return {
    async announce(announcement) {
      const event = await engine.write((_client, events) =>
        events.record({ ...announcementEvent(announcement), createdAt: engine.now() }),
      );
      engine.figures.count({ events: 1 });
      return event;
    },
  };
}
