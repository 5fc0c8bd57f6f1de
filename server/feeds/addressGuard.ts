/**
 * SSRF: which addresses a followed feed may be fetched from. Unless the operator allows private
 * feeds, loopback, private, link-local (cloud metadata lives there), unique-local, CGNAT, multicast
 * and unspecified addresses are refused. The check is on the address the name RESOLVED to, at
 * connect time, for the first request and every redirect alike, so a DNS name pointing inside the
 * network (or rebinding between two lookups) gets nowhere.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including 169.254.169.254 (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local, including fd00:ec2::254 (cloud metadata)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses are judged by their IPv4. */
function embeddedIpv4(address: string): string | undefined {
  const match = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match?.[1];
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return isPublicAddress(v4);
  return !NOT_PUBLIC.check(address, 'ipv6');
}

export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
}

export function refusalFor(host: string, address: string): BlockedAddressError {
  const shown = host === address ? address : `${host} (${address})`;
  return new BlockedAddressError(
    `${shown} is a private, loopback or link-local address; feeds are fetched from public addresses only (see --allow-private-feeds)`,
  );
}

/**
 * A `lookup` for http.request that resolves as usual and refuses the connection when ANY address
 * the name resolves to is not public (a name with one private address is not trusted with the rest).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) {
      callback(error, '', 0);
      return;
    }
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    const first = addresses[0];
    if (blocked) {
      callback(refusalFor(hostname, blocked.address), '', 0);
    } else if (!first) {
      callback(new Error(`${hostname} has no address`), '', 0);
    } else if (options.all) {
      // net asks for every address when it tries them in turn (autoSelectFamily).
      (callback as unknown as (e: null, all: LookupAddress[]) => void)(null, addresses);
    } else {
      callback(null, first.address, first.family);
    }
  });
};
