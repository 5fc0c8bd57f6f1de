/**
 * Times the durable writes of a store for the metrics, and forwards everything else as is. One
 * generic wrapper over a list of method names (MUTATING_METHODS in store.ts), so a method added to
 * a role is timed by adding its name there rather than by another hand-written copy.
 */
import { MUTATING_METHODS, type Store } from './store/store.js';

type TimeWrite = <T>(operation: string, write: () => Promise<T>) => Promise<T>;

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/** The names of T's methods that return a promise. */
type AsyncMethodName<T> = {
  [K in keyof T]: T[K] extends AsyncMethod ? K : never;
}[keyof T] &
  string;

/**
 * Returns an object with the same interface as `target` whose `names` methods run through `time`
 * (named after the method); every other method and property is the target's own, bound to it.
 */
export function timeMethods<T extends object>(
  target: T,
  names: readonly AsyncMethodName<T>[],
  time: TimeWrite,
): T {
  const timed = new Set<PropertyKey>(names);
  // Built once per method and reused: the hot reads (unreadCount per user) allocate nothing.
  const wrappers = new Map<PropertyKey, unknown>();
  // A proxy rather than a copy, so methods on a class's prototype and `this` inside them work.
  return new Proxy(target, {
    get(object, key) {
      const value: unknown = Reflect.get(object, key, object);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(key);
      if (wrapper === undefined) {
        const method = value as (...args: unknown[]) => Promise<unknown>;
        wrapper = timed.has(key)
          ? (...args: unknown[]) => time(String(key), () => method.apply(object, args))
          : method.bind(object);
        wrappers.set(key, wrapper);
      }
      return wrapper;
    },
  });
}

export function timeStoreWrites(store: Store, time: TimeWrite): Store {
  return timeMethods(store, MUTATING_METHODS, time);
}
