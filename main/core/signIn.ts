/**
 * A sign-in form's way to a stored token: the address normalised to an origin, `/healthz`, the
 * login with this device's label, and the token into the keychain. A token the keychain refuses is
 * revoked at once, so no usable token is left behind anywhere.
 */
import { describeIssues, LIMITS, LoginRequestSchema } from '../../contract/wire.js';
import type { Account, ActionResult, SignInRequest } from '../../contract/ipc.js';
import { parseServerAddress } from '../../contract/serverAddress.js';
import { KeychainUnavailableError, type CredentialStore } from './ports.js';
import { checkHealth, login, logout } from './serverApi.js';
import { credentialAccount } from './credentials/credentialAccount.js';
import type { Network } from './network.js';

export async function acquireToken(
  request: SignInRequest,
  options: { credentials: CredentialStore; network: Network; deviceName: string },
): Promise<ActionResult<{ account: Account; token: string }>> {
  const normalized = parseServerAddress(String(request?.serverUrl ?? ''));
  if (!normalized.ok) return normalized;
  const loginRequest = LoginRequestSchema.safeParse({
    username: request.username,
    password: request.password,
    device: options.deviceName.slice(0, LIMITS.deviceNameMax),
  });
  if (!loginRequest.success) {
    return { ok: false, code: 'invalid_payload', message: describeIssues(loginRequest.error) };
  }
  const origin = normalized.origin;
  const health = await checkHealth(options.network, origin);
  if (!health.ok) return health;
  const granted = await login(options.network, origin, loginRequest.data);
  if (!granted.ok) return granted;

  const account: Account = { serverUrl: origin, username: granted.username };
  try {
    await options.credentials.setToken(credentialAccount(origin, account.username), granted.token);
  } catch (error) {
    // A token nobody can store must not stay valid on the server.
    await logout(options.network, origin, granted.token);
    const message =
      error instanceof KeychainUnavailableError
        ? error.message
        : `The keychain refused the token: ${error instanceof Error ? error.message : String(error)}`;
    return { ok: false, code: 'keychain_unavailable', message };
  }
  return { ok: true, account, token: granted.token };
}
