import { isIPv6 } from 'node:net';
import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from. Behind a reverse proxy (`proxied`) that is the last
 * X-Forwarded-For entry, the one our proxy appended: entries before it were sent by the client
 * and are worth nothing, so per-address limits could be dodged by inventing them.
 */
export function clientIp(req: IncomingMessage, proxied: boolean): string {
  if (proxied) {
    const forwarded = req.headers['x-forwarded-for'];
    const list = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = list?.split(',').at(-1)?.trim();
    if (last) return normalize(last);
  }
  return normalize(req.socket.remoteAddress ?? 'unknown');
}

/**
 * The key per-address limits count under. An IPv6 user usually holds a whole /64, so counting
 * single addresses would give them billions of fresh budgets.
 */
export function rateKey(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const groups = expandIpv6(ip);
  if (!groups) return ip;
  // Canonical groups, so that 2001:0DB8:… and 2001:db8:… share one budget.
  const prefix = groups.slice(0, 4).map((group) => Number.parseInt(group, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}

function normalize(ip: string): string {
  // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d.
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function expandIpv6(ip: string): string[] | undefined {
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  if (tail === undefined) return left.length === 8 ? left : undefined;
  const missing = 8 - left.length - right.length;
  if (missing < 0) return undefined;
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}
