/**
 * The few HTTP calls the tray app makes: is this a Tidings server (`/healthz`), create an account
 * (the trial server's first run), sign in, sign out.
 * Every failure becomes a code and a sentence the sign-in form can show as it is; nothing here
 * throws to the caller. Replies are validated, because the user may type any address at all.
 */
import { z } from 'zod';
import {
  API,
  PROTOCOL_VERSION,
  type HealthResponse,
  type LoginRequest,
  type LoginResponse,
  type RegisterRequest,
} from '../../contract/wire.js';

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

export async function checkHealth(origin: string): Promise<ApiResult<{ version: string }>> {
  const reply = await send(origin, API.health, { method: 'GET' });
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
  origin: string,
  request: LoginRequest,
): Promise<ApiResult<{ token: string; username: string }>> {
  const reply = await send(origin, API.login, { method: 'POST', json: request });
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
  origin: string,
  request: RegisterRequest,
): Promise<ApiResult<object>> {
  const reply = await send(origin, API.register, { method: 'POST', json: request });
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
export async function logout(origin: string, token: string): Promise<ApiResult<object>> {
  const reply = await send(origin, API.logout, { method: 'POST', token });
  if (!reply.ok) return reply;
  if (reply.status < 300 || reply.status === 401) return { ok: true };
  return failureFrom(reply.status, reply.body, 'The server did not accept the sign-out.');
}

type Reply =
  | { ok: true; status: number; body: unknown; location: string | null }
  | { ok: false; code: ApiFailure; message: string };

async function send(
  origin: string,
  path: string,
  init: { method: 'GET' | 'POST'; json?: unknown; token?: string },
): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let response: Response;
  try {
    response = await fetch(new URL(path, origin), {
      method: init.method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      redirect: 'manual',
      signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    });
  } catch {
    return {
      ok: false,
      code: 'unreachable',
      message: `Cannot reach ${origin}. Check the address and your network.`,
    };
  }
  const text = await response.text().catch(() => '');
  return {
    ok: true,
    status: response.status,
    body: parseJson(text),
    location: response.headers.get('location'),
  };
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
