// Fetches a file an admin named by URL (a bulk user group's CSV) without letting that URL reach
// inside the network the service runs in: only https to configured hosts (plus loopback http in
// development), every address checked after DNS resolution and connected to exactly as checked
// (no second lookup an attacker's DNS could answer differently), redirects checked the same way,
// and bounded in size and time. Node-only; no Hono.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP } from 'node:net';

export class FileFetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FileFetchError';
  }
}

/** Resolves a host name to every address it has (dns.lookup with `all`). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FilePolicy {
  /** Development mode: http and https to loopback addresses are allowed as well. */
  dev: boolean;
  /** Host names an https URL may name: exact names, or `*.example.com` for its subdomains. */
  hosts: readonly string[];
  maxBytes: number;
  timeoutMs: number;
  maxRedirects: number;
  resolve?: Resolver;
  timers?: Timers;
  /** Stops the fetch from outside (the service shutting down). */
  signal?: AbortSignal;
}

export const DEFAULT_FILE_LIMITS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 30_000, maxRedirects: 3 } as const;

// Addresses no fetch may reach: private, shared, link-local (cloud metadata), loopback,
// multicast, documentation and reserved ranges, and IPv6 forms that can embed or route to them.
// IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) are checked against the IPv4 rules by BlockList.
const INTERNAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Whether the service may connect to this address: public unicast, or loopback in development. */
export function addressAllowed(address: string, dev: boolean): boolean {
  if (isIP(address) === 0) return false;
  const f = family(address);
  if (dev && LOOPBACK.check(address, f)) return true;
  return !INTERNAL.check(address, f);
}

function bareHost(url: URL): string {
  // URL keeps IPv6 literals in brackets.
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && LOOPBACK.check(host, family(host)));
}

function hostListed(host: string, hosts: readonly string[]): boolean {
  return hosts.some((entry) => {
    const e = entry.trim().toLowerCase();
    if (!e) return false;
    if (e.startsWith('*.')) return host.endsWith(e.slice(1)) && host.length > e.length - 1;
    return host === e;
  });
}

/**
 * The checks that need no network: a URL, https (or loopback http in development), no user name
 * or password in it, a host on the list (loopback hosts need no listing in development), and an
 * allowed address when the host is an IP literal. Throws FileFetchError saying what is wrong.
 */
export function checkUrl(raw: string, policy: Pick<FilePolicy, 'dev' | 'hosts'>): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FileFetchError('file_url is not an absolute URL');
  }
  const host = bareHost(url);
  const loopbackDev = policy.dev && isLoopbackName(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackDev)) {
    throw new FileFetchError('file_url must be an https URL');
  }
  if (url.username || url.password) throw new FileFetchError('file_url must not carry a user name or password');
  if (!loopbackDev && !hostListed(host, policy.hosts)) {
    throw new FileFetchError(`file_url names a host that is not allowed (${host}); the allowed hosts are set in GROUP_FILE_HOSTS`);
  }
  if (isIP(host) !== 0 && !addressAllowed(host, policy.dev)) {
    throw new FileFetchError('file_url points to an internal address');
  }
  return url;
}

const defaultResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

const defaultTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Resolves the host and keeps the answer only when every address is allowed. */
async function safeAddresses(host: string, policy: FilePolicy): Promise<LookupAddress[]> {
  if (isIP(host) !== 0) return [{ address: host, family: isIP(host) }];
  let addresses: LookupAddress[];
  try {
    addresses = await (policy.resolve ?? defaultResolver)(host);
  } catch {
    throw new FileFetchError(`the host of file_url could not be resolved (${host})`);
  }
  if (addresses.length === 0) throw new FileFetchError(`the host of file_url could not be resolved (${host})`);
  // One internal address among public ones is enough to refuse: which one a connection would use
  // is not ours to pick.
  if (addresses.some((a) => !addressAllowed(a.address, policy.dev))) {
    throw new FileFetchError('file_url points to an internal address');
  }
  return addresses;
}

interface Hop {
  status: number;
  location: string | undefined;
  body: Buffer | undefined;
}

function requestOnce(url: URL, addresses: LookupAddress[], policy: FilePolicy, signal: AbortSignal): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'GET',
        agent: false,
        signal,
        headers: { accept: 'text/csv, text/plain;q=0.9, */*;q=0.1', 'user-agent': 'latch-user-service' },
        // Connect to the addresses that were checked, whatever the resolver would say now. The
        // host name still goes into SNI, certificate checks and the Host header.
        lookup: (_hostname, options, callback) => {
          if ((options as { all?: boolean }).all) {
            (callback as unknown as (err: null, addresses: LookupAddress[]) => void)(null, addresses);
          } else {
            callback(null, addresses[0]!.address, addresses[0]!.family);
          }
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          res.resume();
          resolve({ status, location: res.headers.location, body: undefined });
          return;
        }
        if (status < 200 || status >= 300) {
          res.resume();
          reject(new FileFetchError(`the file server answered ${status}`));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > policy.maxBytes) {
          res.destroy();
          reject(new FileFetchError(`the file is larger than ${policy.maxBytes} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > policy.maxBytes) {
            res.destroy();
            reject(new FileFetchError(`the file is larger than ${policy.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status, location: undefined, body: Buffer.concat(chunks) }));
        res.on('error', (err) => reject(err));
      },
    );
    req.on('error', (err) => reject(err));
    req.end();
  });
}

/**
 * Fetches `raw` under `policy` and gives back its bytes. Every failure is a FileFetchError with a
 * message fit for the admin (never the file's content).
 */
export async function fetchFile(raw: string, policy: FilePolicy): Promise<Buffer> {
  const timers = policy.timers ?? defaultTimers;
  const controller = new AbortController();
  let timedOut = false;
  const timer = timers.setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, policy.timeoutMs);
  const stop = (): void => controller.abort();
  policy.signal?.addEventListener('abort', stop, { once: true });
  if (policy.signal?.aborted) controller.abort();
  try {
    let url = checkUrl(raw, policy);
    for (let hop = 0; ; hop++) {
      const addresses = await safeAddresses(bareHost(url), policy);
      if (controller.signal.aborted) throw new FileFetchError(`the file did not arrive within ${policy.timeoutMs} ms`);
      const answer = await requestOnce(url, addresses, policy, controller.signal);
      if (answer.body) return answer.body;
      if (!answer.location) throw new FileFetchError(`the file server answered ${answer.status} without a Location`);
      if (hop >= policy.maxRedirects) throw new FileFetchError(`the file server redirected more than ${policy.maxRedirects} times`);
      let next: string;
      try {
        next = new URL(answer.location, url).href;
      } catch {
        throw new FileFetchError('the file server redirected to something that is not a URL');
      }
      // A redirect is held to every rule the first URL was.
      try {
        url = checkUrl(next, policy);
      } catch (err) {
        throw new FileFetchError(`the file server redirected to a URL that is not allowed: ${(err as Error).message}`);
      }
    }
  } catch (err) {
    if (timedOut) throw new FileFetchError(`the file did not arrive within ${policy.timeoutMs} ms`);
    if (err instanceof FileFetchError) throw err;
    throw new FileFetchError(`the file could not be fetched (${(err as NodeJS.ErrnoException).code ?? 'network error'})`);
  } finally {
    timers.clearTimeout(timer);
    policy.signal?.removeEventListener('abort', stop);
  }
}
