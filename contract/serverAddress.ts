/**
 * What a person types as their server's address → the origin the app talks to. The inbox window
 * uses it to point at the field at once, and the tray core, which is the authority, uses it again;
 * sharing one function means the two can never disagree about what an address means.
 */
export type ServerAddress =
  { ok: true; origin: string } | { ok: false; code: 'invalid_url'; message: string };

/** This machine's own addresses, and nothing that merely starts like them (localhost.evil.example). */
const LOCAL_ADDRESS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/i;

export function parseServerAddress(input: string): ServerAddress {
  const trimmed = input.trim();
  const refuse = (message: string): ServerAddress => ({ ok: false, code: 'invalid_url', message });
  if (trimmed === '') return refuse('Enter your Tidings server’s address.');
  // Without a scheme, assume https: a password must not cross the internet in clear text because
  // someone typed "blog.example". Only this machine's own addresses default to http.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed
    : `${LOCAL_ADDRESS.test(trimmed) ? 'http' : 'https'}://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return refuse(`"${trimmed}" is not a web address.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refuse('Use an http:// or https:// address.');
  }
  if (url.username || url.password) {
    return refuse('Leave the user name out of the address; enter it below.');
  }
  // A pasted post link works too: the server is its origin.
  return { ok: true, origin: url.origin };
}
