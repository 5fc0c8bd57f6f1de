/**
 * The HTTP server's request and response classes, building each request and response with the
 * express app's own prototypes from the start.
 *
 * Express gives every request its prototypes as it enters the app: `Object.setPrototypeOf(req,
 * app.request)` and the same for `res`. Measured on this server (docs/BENCHMARKS.md, "Like p99 and
 * resident memory, fifth pass"), a request and response switched that way after construction left
 * about 5.8 KB of each request's garbage in the old space, given back only by a full collection.
 * Built with the app's prototypes, express's switch is a no-op (V8 does nothing when the prototype
 * is already the one asked for).
 *
 * They are subclasses (`class … extends`), not functions forwarding to Node's constructors with
 * `Reflect.construct(IncomingMessage, args, AppRequest)`: V8 then rebuilt AppRequest's initial map
 * twice per request (once for `new AppRequest`, once for the forwarded construction), so every
 * request and response had hidden classes of its own and each property Node set on them allocated
 * a new map and a longer copy of its descriptors, directly in the old space: 8–11 KB a request
 * that `--trace-gc-nvp` never showed as promoted, and full collections as often as before (docs/
 * BENCHMARKS.md, "Like p99 and resident memory, sixth pass"). A subclass's instances share one map
 * chain, as Node's own do.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';

export interface AppPrototypes {
  /** For `createServer({ IncomingMessage, ServerResponse })`. */
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
  /**
   * Requests and responses built from now on have this app's prototypes. Until then (the server
   * may listen before the app is assembled) they are plain Node ones.
   */
  adopt(app: Express): void;
}

export function appPrototypes(): AppPrototypes {
  class AppRequest extends IncomingMessage {}
  class AppResponse extends ServerResponse {}
  return {
    IncomingMessage: AppRequest,
    // Node's ServerResponse is generic in its request type; a subclass of it fixes that type to
    // IncomingMessage, which is what this server's requests are.
    ServerResponse: AppResponse as typeof ServerResponse,
    adopt(app) {
      // A class's `prototype` cannot be replaced, so the class's prototype takes the place of the
      // app's instead: it inherits from express's request (or response) and holds what the app's
      // own held (its `app`), and the app switches requests to it from now on.
      app.request = standIn(AppRequest.prototype, app.request);
      app.response = standIn(AppResponse.prototype, app.response);
    },
  };
}

/** `target`, made to stand in for `prototype`: the same parent and the same own properties. */
function standIn<T extends object>(target: object, prototype: T): T {
  Object.setPrototypeOf(target, Object.getPrototypeOf(prototype) as object | null);
  Object.defineProperties(target, Object.getOwnPropertyDescriptors(prototype));
  return target as T;
}
