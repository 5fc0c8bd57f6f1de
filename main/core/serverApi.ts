/**
 * The few HTTP calls the tray app makes: is this a Tidings server (`/healthz`), create an account
 * (the trial server's first run), sign in, sign out.
 * Every failure becomes a code and a sentence the sign-in form can show as it is; nothing here
 * throws to the caller. Replies are validated, because the user may type any address at all.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import {
  API,
  PROTOCOL_VERSION,
  type HealthResponse,
  type LoginRequest,
  type LoginResponse,
  type RegisterRequest,
} from '../../contract/wire.js';
import { NetworkSetupError, type Network, type Route } from './network.js';

/** A server that takes longer than this to answer a sign-in form is treated as unreachable. */
export const HTTP_TIMEOUT_MS = 10_000;

export type ApiResult<T extends object> =
  ({ ok: true } & T) | { ok: false; code: ApiFailure; message: string };

export type ApiFailure =
  | 'invalid_url'
  | 'unreachable'
  | 'not_tidings'
  | 'server_incompatible'
  | 'unauthorized'
  | 'rate_limited'
  | 'conflict'
  | 'certificate_untrusted'
  | 'network_setup'
  | 'server_error';

const HealthSchema = z.object({
  ok: z.literal(true),
  service: z.literal('tidings'),
  version: z.string(),
  protocolVersion: z.number().int(),
}) satisfies z.ZodType<HealthResponse>;

const LoginResponseSchema = z.object({
  token: z.string().min(1),
  user: z.object({ username: z.string() }).loose(),
});

/** The `HttpErrorBody` shape from the contract. */
const ErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

export async function checkHealth(
  network: Network,
  origin: string,
): Promise<ApiResult<{ version: string }>> {
  const reply = await send(network, origin, API.health, { method: 'GET' });
  if (!reply.ok) return reply;
  if (reply.status >= 300 && reply.status < 400) {
    // Redirects are never followed (a password must go only where the user said), but the user
    // should learn where the server really is: typically http:// moved to https://.
    const target = reply.location ? safeOrigin(reply.location, origin) : null;
    return {
      ok: false,
      code: 'not_tidings',
      message: target
        ? `${origin} redirects to ${target}. Use that address instead.`
        : `${origin} redirects elsewhere; check the address.`,
    };
  }
  const health = HealthSchema.safeParse(reply.body);
  if (reply.status !== 200 || !health.success) {
    return {
      ok: false,
      code: 'not_tidings',
      message: `${origin} does not look like a Tidings server.`,
    };
  }
  if (health.data.protocolVersion !== PROTOCOL_VERSION) {
    return {
      ok: false,
      code: 'server_incompatible',
      message: `The server speaks protocol ${health.data.protocolVersion}; this app speaks ${PROTOCOL_VERSION}. Update the app or the server.`,
    };
  }
  return { ok: true, version: health.data.version };
}

export async function login(
  network: Network,
  origin: string,
  request: LoginRequest,
): Promise<ApiResult<{ token: string; username: string }>> {
  const reply = await send(network, origin, API.login, { method: 'POST', json: request });
  if (!reply.ok) return reply;
  if (reply.status === 200 || reply.status === 201) {
    const parsed = LoginResponseSchema.safeParse(reply.body);
    if (parsed.success) {
      const body: Pick<LoginResponse, 'token'> = parsed.data;
      return { ok: true, token: body.token, username: parsed.data.user.username };
    }
    return {
      ok: false,
      code: 'not_tidings',
      message: `${origin} gave an answer Tidings does not understand.`,
    };
  }
  return failureFrom(reply.status, reply.body, 'Wrong username or password.');
}

/** Creates an account. The caller signs in separately to get a device token. */
export async function register(
  network: Network,
  origin: string,
  request: RegisterRequest,
): Promise<ApiResult<object>> {
  const reply = await send(network, origin, API.register, { method: 'POST', json: request });
  if (!reply.ok) return reply;
  if (reply.status === 200 || reply.status === 201) return { ok: true };
  if (reply.status === 409) {
    return {
      ok: false,
      code: 'conflict',
      message: `${origin} already has an account "${request.username}".`,
    };
  }
  return failureFrom(reply.status, reply.body, 'The server refused the new account.');
}

/** Revokes the token on the server. A token the server already forgot counts as revoked. */
export async function logout(
  network: Network,
  origin: string,
  token: string,
): Promise<ApiResult<object>> {
  const reply = await send(network, origin, API.logout, { method: 'POST', token });
  if (!reply.ok) return reply;
  if (reply.status < 300 || reply.status === 401) return { ok: true };
  return failureFrom(reply.status, reply.body, 'The server did not accept the sign-out.');
}

type Reply =
  | { ok: true; status: number; body: unknown; location: string | null }
  | { ok: false; code: ApiFailure; message: string };

/** A reply larger than this is not a Tidings answer; reading stops there. */
const MAX_REPLY_BYTES = 1024 * 1024;

async function send(
  network: Network,
  origin: string,
  path: string,
  init: { method: 'GET' | 'POST'; json?: unknown; token?: string },
): Promise<Reply> {
  const url = new URL(path, origin);
  const headers: Record<string, string> = { accept: 'application/json' };
  const body = init.json === undefined ? undefined : JSON.stringify(init.json);
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let route: Route;
  try {
    route = await network.routeTo(url);
  } catch (error) {
    if (error instanceof NetworkSetupError) {
      return { ok: false, code: 'network_setup', message: error.message };
    }
    throw error;
  }
  // node:http(s), not fetch: fetch takes no agent, and the agent carries the proxy and the CAs.
  // Redirects are not followed by node:http, which is what the callers want.
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Reply>((resolve) => {
    const outgoing = request(
      url,
      { method: init.method, headers, agent: route.agent, ...route.tls },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
        });
        response.on('error', () => resolve(unreachable(origin)));
        response.on('end', () => {
          clearTimeout(deadline);
          const location = response.headers.location;
          resolve({
            ok: true,
            status: response.statusCode ?? 0,
            body: parseJson(Buffer.concat(chunks).toString('utf8')),
            location: typeof location === 'string' ? location : null,
          });
        });
      },
    );
    const deadline = setTimeout(() => outgoing.destroy(new Error('timeout')), HTTP_TIMEOUT_MS);
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      resolve(describeNetworkError(error, origin));
    });
    outgoing.end(body);
  });
}

function unreachable(origin: string): { ok: false; code: ApiFailure; message: string } {
  return {
    ok: false,
    code: 'unreachable',
    message: `Cannot reach ${origin}. Check the address and your network.`,
  };
}

/** TLS verification codes that mean "this computer does not trust who signed the certificate". */
const UNTRUSTED_CERTIFICATE = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/** Says what a failed connection means, and what the user can do about it. */
export function describeNetworkError(
  error: NodeJS.ErrnoException,
  origin: string,
): { ok: false; code: ApiFailure; message: string } {
  const code = error.code ?? '';
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return {
      ok: false,
      code: 'certificate_untrusted',
      message: `${origin}'s certificate is not trusted by this computer (${code}). If the server uses a private certificate authority, give that authority's certificate file under "Private certificate authority".`,
    };
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return {
      ok: false,
      code: 'certificate_untrusted',
      message: `${origin}'s certificate has expired. Tell the server's operator.`,
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      ok: false,
      code: 'certificate_untrusted',
      message: `${origin}'s certificate is for another name. Check the address.`,
    };
  }
  return unreachable(origin);
}

function safeOrigin(location: string, base: string): string | null {
  try {
    const url = new URL(location, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** A non-JSON reply (an HTML error page, say) reads as null: the caller then says "not Tidings". */
function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

function failureFrom(status: number, body: unknown, unauthorizedMessage: string): ApiResult<never> {
  const parsed = ErrorBodySchema.safeParse(body);
  if (status === 401) return { ok: false, code: 'unauthorized', message: unauthorizedMessage };
  if (status === 429) {
    return {
      ok: false,
      code: 'rate_limited',
      message: 'Too many attempts. Wait a minute and try again.',
    };
  }
  if (!parsed.success) {
    return {
      ok: false,
      code: 'not_tidings',
      message: 'The server gave an answer Tidings does not understand.',
    };
  }
  return { ok: false, code: 'server_error', message: parsed.data.error.message };
}
