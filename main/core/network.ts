/**
 * How the core reaches a server the way the user's browser would: through the proxy the OS says
 * to use for that URL, trusting the OS's certificate store plus an optional CA file from settings.
 * Node's own networking does neither, so a blog behind a corporate proxy, or with a private CA,
 * would fail in the app while it works in the browser. Every HTTP call and the socket get their
 * agent here.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import tls from 'node:tls';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { ResolveProxy } from './ports.js';

export interface Route {
  /** For http(s).request and socket.io-client's `agent`. */
  agent: HttpAgent;
  /**
   * TLS options for the request itself (node:https, ws): the agent's own options do not reach the
   * TLS inside a proxy tunnel, the request's do.
   */
  tls: {
    ca: string[];
    checkServerIdentity: NonNullable<tls.ConnectionOptions['checkServerIdentity']>;
  };
  /** The proxy in use, or null for a direct connection (for logs). */
  proxy: string | null;
}

export interface Network {
  /** Throws NetworkSetupError when the CA file in settings cannot be used. */
  routeTo(url: URL): Promise<Route>;
}

/** The settings name a CA file that cannot be read or holds no certificate. */
export class NetworkSetupError extends Error {
  override readonly name = 'NetworkSetupError';
}

export type PacChoice = { kind: 'direct' } | { kind: 'proxy'; url: string };

/**
 * The first entry of a PAC result (Electron's `session.resolveProxy`: "PROXY host:port; DIRECT")
 * that can be used. SOCKS entries are skipped: HTTP CONNECT is what corporate proxies speak.
 */
export function choiceFromPac(pac: string): PacChoice {
  for (const entry of pac.split(';')) {
    const [kind = '', hostPort = ''] = entry.trim().split(/\s+/);
    const upper = kind.toUpperCase();
    if (upper === 'DIRECT') return { kind: 'direct' };
    if ((upper === 'PROXY' || upper === 'HTTP') && hostPort !== '') {
      return { kind: 'proxy', url: `http://${hostPort}` };
    }
    if (upper === 'HTTPS' && hostPort !== '') return { kind: 'proxy', url: `https://${hostPort}` };
  }
  return { kind: 'direct' };
}

/** The certificates in a PEM file, each checked to parse. Throws NetworkSetupError with why not. */
export function readCaFile(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new NetworkSetupError(
      `The certificate authority file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
    );
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) {
    throw new NetworkSetupError(
      `The certificate authority file ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`,
    );
  }
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      throw new NetworkSetupError(
        `The certificate authority file ${path} holds a certificate that cannot be read.`,
      );
    }
  }
  return pems;
}

/** Electron 45's Node reads the OS store; Node 20 has only the bundled roots. Read once. */
let osCertificates: string[] | null = null;
function defaultCertificates(): string[] {
  if (osCertificates === null) {
    // Typed by hand: @types/node 20 does not know getCACertificates (Node 22.15+, Electron 45).
    const getCa = (tls as { getCACertificates?: (type: 'system' | 'bundled') => string[] })
      .getCACertificates;
    const system = typeof getCa === 'function' ? getCa('system') : [];
    osCertificates = [...new Set([...tls.rootCertificates, ...system])];
  }
  return osCertificates;
}

export function createNetwork(options: {
  /** The OS's proxy for a URL, as a PAC result. Absent: always direct (plain Node). */
  resolveProxy?: ResolveProxy;
  /** The CA file chosen in settings, or ''. Read at every route, so a new choice applies at once. */
  caFile: () => string;
  log: (message: string) => void;
}): Network {
  const { log } = options;
  const proxyFor = async (url: URL): Promise<string | null> => {
    if (options.resolveProxy === undefined) return null;
    let pac: string;
    try {
      pac = await options.resolveProxy(url.href);
    } catch (error) {
      log(`tidings: the system proxy could not be resolved (${String(error)}); going direct`);
      return null;
    }
    const choice = choiceFromPac(pac);
    return choice.kind === 'proxy' ? choice.url : null;
  };

  return {
    async routeTo(url) {
      const caFile = options.caFile();
      const ca =
        caFile === '' ? defaultCertificates() : [...defaultCertificates(), ...readCaFile(caFile)];
      const proxy = await proxyFor(url);
      // Checked against the URL's host by name: https-proxy-agent drops `host` when it upgrades
      // the tunnel to TLS, so an IP address would otherwise be checked as "localhost".
      const host = url.hostname.replace(/^\[|\]$/g, '');
      const checks: Route['tls'] = {
        ca,
        checkServerIdentity: (_ignored, certificate) => tls.checkServerIdentity(host, certificate),
      };
      if (proxy !== null) {
        // CONNECT for http: and https: alike; the target's TLS runs inside the tunnel.
        return { agent: new HttpsProxyAgent(proxy), tls: checks, proxy };
      }
      const agent = url.protocol === 'https:' ? new HttpsAgent(checks) : new HttpAgent();
      return { agent, tls: checks, proxy: null };
    },
  };
}
