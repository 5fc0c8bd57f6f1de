/** Recording an event: the next seq, a new id, the store's time. Shared by every query module. */
import type { EventRecord } from '../store.js';
import type { CommitEngine } from './commitEngine.js';
import { newId } from './ids.js';

export function recordEvent(
  engine: CommitEngine,
  event: Omit<EventRecord, 'seq' | 'id' | 'createdAt'>,
): EventRecord {
  const record: EventRecord = {
    seq: engine.state().latestSeq + 1,
    id: newId(),
    createdAt: engine.now(),
    ...event,
  };
  engine.change(['event', record]);
  return record;
}
