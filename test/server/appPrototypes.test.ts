/**
 * The HTTP server's request and response constructors (server/http/appPrototypes.ts): every
 * request is built with the app's prototype AND shares one hidden class with the others. Built
 * through Reflect.construct with a foreign `new.target`, each request and response got a hidden
 * class of its own, which cost about 40 µs a request or WebSocket upgrade (the reconnect storm's
 * catch-up, docs/BENCHMARKS.md). V8's own `%HaveSameMap` says whether two objects share one.
 */
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import express from 'express';
import { appPrototypes } from '../../server/http/appPrototypes.js';

setFlagsFromString('--allow-natives-syntax');
// The flag above lets this function be compiled with V8's intrinsic; nothing else uses it.
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

function build(prototypes: ReturnType<typeof appPrototypes>): {
  request: IncomingMessage;
  response: ServerResponse;
} {
  const request = new prototypes.IncomingMessage(new Socket());
  return { request, response: new prototypes.ServerResponse(request) };
}

test('requests and responses share one hidden class, before and after the app is adopted', () => {
  const prototypes = appPrototypes();
  const [first, second] = [build(prototypes), build(prototypes)];
  assert.ok(haveSameMap(first.request, second.request), 'two requests before adopt');
  assert.ok(haveSameMap(first.response, second.response), 'two responses before adopt');

  prototypes.adopt(express());
  const [third, fourth] = [build(prototypes), build(prototypes)];
  assert.ok(haveSameMap(third.request, fourth.request), 'two requests after adopt');
  assert.ok(haveSameMap(third.response, fourth.response), 'two responses after adopt');
});

test("they are Node's own requests and responses, with the app's prototypes once adopted", () => {
  const prototypes = appPrototypes();
  // Before the app is adopted, plain Node requests and responses (of a subclass that adds nothing).
  const before = build(prototypes);
  assert.equal(
    Object.getPrototypeOf(Object.getPrototypeOf(before.request)),
    IncomingMessage.prototype,
  );
  assert.equal(
    Object.getPrototypeOf(Object.getPrototypeOf(before.response)),
    ServerResponse.prototype,
  );

  const app = express();
  prototypes.adopt(app);
  const socket = new Socket();
  const request = new prototypes.IncomingMessage(socket);
  const response = new prototypes.ServerResponse(request);
  assert.equal(Object.getPrototypeOf(request), app.request);
  assert.equal(Object.getPrototypeOf(response), app.response);
  assert.ok(request instanceof IncomingMessage);
  assert.ok(response instanceof ServerResponse);
  // Node's constructors ran on them: the request reads from its socket, the response answers it.
  assert.equal(request.socket, socket);
  assert.equal(request.readableHighWaterMark, socket.readableHighWaterMark);
  assert.equal(response.req, request);
  assert.equal(response.statusCode, 200);
  assert.equal(typeof Reflect.get(request, 'get'), 'function', "express's request methods");
});
