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

/** Node's constructor, called on an object `new` made (Node 20 to 24 declare both as functions). */
type NodeConstructor = (this: object, ...args: unknown[]) => void;

/** Whether Node declares the constructor as a plain function, so that `.call` can initialise. */
const isPlainFunction = (constructor: object): boolean =>
  !/^class\b/.test(Function.prototype.toString.call(constructor));

export function appPrototypes(): AppPrototypes {
  // `new AppRequest(socket)` makes the object from the function's current `prototype`, with the
  // hidden class V8 keeps for that function, and Node's own constructor initialises it. Every
  // request then shares one hidden class. Reflect.construct(IncomingMessage, args, AppRequest),
  // used before, gave every request and response a hidden class of its own (a new.target that is
  // not a subclass of the constructor is not cached by V8): about 40 µs a request or WebSocket
  // upgrade against 0.2 µs (docs/BENCHMARKS.md, "The storm's catch-up CPU, sixth pass").
  // Reflect.construct stays for a Node that declares them as classes, which `.call` cannot run.
  const initRequest = IncomingMessage as unknown as NodeConstructor;
  const initResponse = ServerResponse as unknown as NodeConstructor;
  const viaCall = isPlainFunction(IncomingMessage) && isPlainFunction(ServerResponse);
  function AppRequest(this: object, ...args: unknown[]): object | undefined {
    if (!viaCall) return Reflect.construct(IncomingMessage, args, AppRequest) as object;
    initRequest.apply(this, args);
    return undefined;
  }
  function AppResponse(this: object, ...args: unknown[]): object | undefined {
    if (!viaCall) return Reflect.construct(ServerResponse, args, AppResponse) as object;
    initResponse.apply(this, args);
    return undefined;
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
