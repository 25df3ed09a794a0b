import type { IncomingMessage } from 'node:http';

/** `'*'` admits every origin; otherwise a set of exact origins such as `https://shop.example`. */
export type AllowedOrigins = '*' | ReadonlySet<string>;

/**
 * Which web pages may use this server. Browsers always send Origin on cross-origin requests and on
 * every WebSocket upgrade, so the check stops other sites' pages from using the server; it is not
 * meant to stop non-browser clients, which can send any header (the minted identity is their gate).
 */
export class OriginPolicy {
  constructor(private readonly allowed: AllowedOrigins) {}

  get isOpen(): boolean {
    return this.allowed === '*';
  }

  /**
   * A request without Origin is not from another site's page; the server's own pages (the demo)
   * are same-origin: their Origin names the host the request was sent to.
   */
  admits(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || this.allowed === '*') return true;
    return this.allowed.has(origin) || isSameHost(origin, req.headers.host);
  }

  /** The value for Access-Control-Allow-Origin, or undefined when the origin gets none. */
  corsOrigin(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    if (origin === undefined) return undefined;
    return this.admits(req) ? origin : undefined;
  }
}

function isSameHost(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
