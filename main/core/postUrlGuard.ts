/**
 * Decides whether a URL that came from the server may be opened in the user's browser. A
 * compromised or malicious server could otherwise make the app open `file:` paths, run
 * `javascript:` or send the user to a look-alike site; so only http(s) pages on the very origin
 * the user signed in to pass.
 */
export type UrlVerdict = { ok: true; url: string } | { ok: false; reason: string };

export function checkPostUrl(candidate: string, serverUrl: string): UrlVerdict {
  let server: URL;
  let target: URL;
  try {
    server = new URL(serverUrl);
  } catch {
    return { ok: false, reason: 'no server is configured' };
  }
  try {
    target = new URL(candidate);
  } catch {
    return { ok: false, reason: 'the link is not a valid URL' };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return { ok: false, reason: `links of type "${target.protocol}" are never opened` };
  }
  if (target.username !== '' || target.password !== '') {
    return { ok: false, reason: 'links carrying credentials are never opened' };
  }
  if (target.origin !== server.origin) {
    return { ok: false, reason: `the link leads to ${target.origin}, not to ${server.origin}` };
  }
  return { ok: true, url: target.href };
}
