/**
 * Who may talk to this server from a browser, for HTTP and sockets alike.
 *
 * - Host: a request must name this server. DNS rebinding points an attacker's name at 127.0.0.1
 *   (the tray's trial server); the page then calls us with `Host: evil.example`, and its Origin
 *   matches that Host. Accepted: the public URL's host, `localhost`, IP literals (a name is needed
 *   to rebind, so an address is safe; it keeps LAN access by address working), and the names the
 *   operator adds with --allowed-hosts.
 * - Origin: the server's own origin, the configured allowlist, and requests without an Origin
 *   header (scripts, the desktop app). Allowlisted origins get plain CORS for the bearer-token API
 *   only; cookies are honoured only from the server's own origin.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';

export type OriginCheck = (origin: string | undefined, headers: IncomingHttpHeaders) => boolean;

export interface OriginPolicy {
  /** May this browser origin (or a script, without one) use the API and open a token socket? */
  isOriginAllowed: OriginCheck;
  /** Is this origin the server's own, so the session cookie may be honoured? */
  isOwnOrigin: OriginCheck;
  /** Does this Host header name this server? */
  isHostAllowed(host: string | undefined): boolean;
}

export interface OriginPolicyOptions {
  /** Browser origins allowed besides the server's own (--allowed-origins). */
  allowedOrigins: readonly string[];
  /** Host names allowed besides the public one, localhost and addresses (--allowed-hosts). */
  allowedHosts: readonly string[];
  /** The public URL and the listening URL, known once the server listens. */
  ownOrigins: () => string[];
}

/** The host name of a Host header, without port or IPv6 brackets; undefined when unreadable. */
export function hostNameOf(host: string): string | undefined {
  if (!URL.canParse(`http://${host}`)) return undefined;
  return new URL(`http://${host}`).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const namedHosts = new Set(['localhost', ...options.allowedHosts.map((h) => h.toLowerCase())]);
  const ownHostNames = (): string[] =>
    options.ownOrigins().map((origin) => hostNameOf(new URL(origin).host) ?? '');

  const isHostAllowed = (host: string | undefined): boolean => {
    // HTTP/1.0 clients may omit Host; no browser does, so rebinding cannot use that.
    if (host === undefined) return true;
    const name = hostNameOf(host);
    if (name === undefined) return false;
    return isIP(name) !== 0 || namedHosts.has(name) || ownHostNames().includes(name);
  };

  const isOwnOrigin: OriginCheck = (origin, headers) => {
    if (origin === undefined || !URL.canParse(origin)) return false;
    if (options.ownOrigins().includes(origin)) return true;
    // Same origin as the Host the browser asked for (already checked by isHostAllowed): a page
    // this server served itself, e.g. reached through a proxy at another port.
    return (
      headers.host !== undefined &&
      isHostAllowed(headers.host) &&
      new URL(origin).host === headers.host
    );
  };

  const isOriginAllowed: OriginCheck = (origin, headers) =>
    origin === undefined || options.allowedOrigins.includes(origin) || isOwnOrigin(origin, headers);

  return { isOriginAllowed, isOwnOrigin, isHostAllowed };
}
