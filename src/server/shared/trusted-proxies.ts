// The TRUSTED_PROXIES setting as plain data: which peers may speak for a client through
// X-Forwarded-For. http/proxy.ts reads the headers with it; ServiceInternals carries it, so it lives
// here rather than beside the Hono middleware.
import { BlockList, isIP } from 'node:net';

/** Strips the IPv4-mapped prefix so "::ffff:10.0.0.1" and "10.0.0.1" are one client. */
export function plainAddress(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** The TRUSTED_PROXIES setting: addresses or CIDR ranges (IPv4 or IPv6) of the proxies in front. */
export class TrustedProxies {
  readonly #list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const raw of entries) {
      const entry = raw.trim();
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (!family) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) {
        this.#list.addAddress(address, type);
      } else {
        const bits = Number(prefix);
        if (!/^\d+$/.test(prefix) || bits > (family === 4 ? 32 : 128)) throw new Error(`TRUSTED_PROXIES: "${entry}" has a bad prefix length`);
        this.#list.addSubnet(address, bits, type);
      }
    }
    this.size = entries.length;
  }

  has(ip: string): boolean {
    const address = plainAddress(ip);
    const family = isIP(address);
    return family !== 0 && this.#list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}
