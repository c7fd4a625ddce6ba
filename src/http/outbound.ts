// Outbound HTTP to URLs that SP or federation metadata names (logos, remote metadata): public addresses only, checked
// on the address each connection really goes to, so a name that resolves to an internal address (DNS rebinding
// included) is refused at connect time. Hosts the admin names (`OUTBOUND_PRIVATE_HOSTS`) are exempt.

import { type LookupAddress, lookup as dnsLookup } from 'node:dns';
import { isIP, type Socket } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';

/** Why a connection was not made; its message names the host and address, never more. */
export class OutboundRefusedError extends Error {
  readonly code = 'OUTBOUND_REFUSED';
  constructor(host: string, address: string) {
    super(
      `${host} resolves to the non-public address ${address}: refused (OUTBOUND_PRIVATE_HOSTS may name it)`,
    );
    this.name = 'OutboundRefusedError';
  }
}

/**
 * True for a globally routable unicast address. Refused: loopback, RFC 1918, CGNAT 100.64/10, link-local
 * (169.254/16 with the cloud metadata endpoints, fe80::/10), unique-local fc00::/7, multicast, broadcast,
 * unspecified, reserved and documentation ranges; IPv4-mapped, IPv4-compatible, NAT64 and 6to4 forms by the IPv4
 * address they carry; Teredo (its IPv4 part is obfuscated).
 */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  const parsed = ipaddr.process(bare); // IPv4-mapped IPv6 becomes its IPv4 address
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  const parts = v6.parts;
  const range = v6.range();
  if (parts.slice(0, 6).every((p) => p === 0)) return false; // ::/96, IPv4-compatible (deprecated)
  if (range === 'rfc6052') return isPublicAddress(embeddedV4(parts[6] ?? 0, parts[7] ?? 0));
  if (range === '6to4') return isPublicAddress(embeddedV4(parts[1] ?? 0, parts[2] ?? 0));
  return range === 'unicast';
}

function embeddedV4(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The host part of a URL or connection as the admin would write it: lower case, no brackets. */
function hostKey(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase();
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup that refuses a name with any non-public address (unless the admin named the host). */
function guardedLookup(allowed: ReadonlySet<string>) {
  return (hostname: string, options: { all?: boolean; family?: number }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err !== null) return callback(err, []);
      if (!allowed.has(hostKey(hostname))) {
        const bad = addresses.find((a) => !isPublicAddress(a.address));
        if (bad !== undefined) return callback(new OutboundRefusedError(hostname, bad.address), []);
      }
      if (options.all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined)
        return callback(Object.assign(new Error(`${hostname}: no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

export interface OutboundOptions {
  /** Hosts (names or addresses, as in the URL) that may be on a non-public address: the admin named them. */
  readonly allowedHosts: readonly string[];
  readonly timeoutMs: number;
  /** PEM CA bundle that replaces the public CAs (a private CA's https server). */
  readonly caPem?: string;
}

/**
 * An undici Agent whose every connection (redirect hops included) is checked: an address literal before
 * connecting, a name at lookup, and the socket's remote address once connected.
 */
export function outboundAgent(options: OutboundOptions): Agent {
  const allowed = new Set(options.allowedHosts.map(hostKey));
  const base = buildConnector({
    timeout: options.timeoutMs,
    ...(options.caPem === undefined ? {} : { ca: options.caPem }),
    lookup: guardedLookup(allowed),
  } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (opts, callback) => {
    const host = hostKey(opts.hostname);
    const exempt = allowed.has(host);
    if (!exempt && isIP(host) !== 0 && !isPublicAddress(host)) {
      return callback(new OutboundRefusedError(host, host), null);
    }
    base(opts, (err, socket) => {
      if (err !== null) return callback(err, null);
      const remote = (socket as Socket).remoteAddress;
      if (!exempt && remote !== undefined && !isPublicAddress(remote)) {
        socket.destroy();
        return callback(new OutboundRefusedError(host, remote), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect, headersTimeout: options.timeoutMs, bodyTimeout: options.timeoutMs });
}
