/** The lowdb driver's AnnouncementStore: one event per announcement, whatever the audience. */
import type { AnnouncementStore } from '../store.js';
import { announcementEvent } from '../newRecords.js';
import type { CommitEngine } from './commitEngine.js';
import { recordEvent } from './events.js';

export function announcementQueries(engine: CommitEngine): AnnouncementStore {
  return {
    async announce(announcement) {
      engine.ensureOpen();
      const event = recordEvent(engine, announcementEvent(announcement));
      await engine.commit();
      return event;
    },
  };
}
