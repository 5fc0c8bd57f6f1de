/**
 * The keychain account a device token is stored under: `<server-origin>#<username>`. One person
 * can use several servers, or several accounts on one server, without their tokens colliding.
 */
export const KEYCHAIN_SERVICE = 'Tidings';

export function credentialAccount(serverOrigin: string, username: string): string {
  return `${serverOrigin}#${username}`;
}
