/**
 * The HTTP server's request and response constructors, building each request and response with
 * the express app's own prototypes from the start.
 *
 * Express gives every request its prototypes as it enters the app: `Object.setPrototypeOf(req,
 * app.request)` and the same for `res`. Measured on this server (docs/BENCHMARKS.md, "Like p99 and
 * resident memory, fifth pass"), a request and response switched that way after construction are
 * kept by V8's young-generation collections (scavenges) and reach the old space, although nothing
 * reachable holds them once answered: about 5.8 KB of each request's garbage was promoted, against
 * 0.3 KB for the same app whose requests were built with those prototypes. Promoted garbage is
 * only given back by a full collection, so it set how often those ran and how far the resident
 * size climbed in between. Built with the app's prototypes, express's switch is a no-op (V8 does
 * nothing when the prototype is already the one asked for).
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
  // Reflect.construct with the function itself as `new.target`: the object is created with the
  // function's current `prototype` and then initialised by Node's own constructor (whether Node
  // declares it as a function or a class). The `this` that `new` made is dropped.
  function AppRequest(...args: unknown[]): IncomingMessage {
    return Reflect.construct(IncomingMessage, args, AppRequest) as IncomingMessage;
  }
  function AppResponse(...args: unknown[]): ServerResponse {
    return Reflect.construct(ServerResponse, args, AppResponse) as ServerResponse;
  }
  AppRequest.prototype = IncomingMessage.prototype;
  AppResponse.prototype = ServerResponse.prototype;
  return {
    // Node calls them with `new`, as it would its own classes; TypeScript cannot see a function
    // declaration as a class.
    IncomingMessage: AppRequest as unknown as typeof IncomingMessage,
    ServerResponse: AppResponse as unknown as typeof ServerResponse,
    adopt(app) {
      AppRequest.prototype = app.request;
      AppResponse.prototype = app.response;
    },
  };
}
