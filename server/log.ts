import { inspect } from 'node:util';

/** Names under which requests and errors carry credentials. */
const SECRET_NAMES = 'token|credential|password|secret|ticket|authorization|cookie';

const REDACTIONS: [RegExp, string][] = [
  // The signaling socket URL carries the peer id and PeerJS token: keep none of its query.
  [/(\/peerjs[^\s?"'`]*)\?[^\s"'`]*/g, '$1?[redacted]'],
  // A waiting guest's ticket is the last segment of their poll URL.
  [/(\/waiting\/)[^\s/?"'`]+/g, '$1[redacted]'],
  // Query and form parameters elsewhere: ?token=…, &credential=…
  [new RegExp(`([?&;](?:${SECRET_NAMES})=)[^&\\s"'\`]*`, 'gi'), '$1[redacted]'],
  // JSON and inspect() output: "token": "…", token: '…'
  [new RegExp(`((?:["']?)(?:${SECRET_NAMES})(?:["']?)\\s*:\\s*)(["'\`])(?:(?!\\2)[^\\\\]|\\\\.)*\\2`, 'gi'), "$1'[redacted]'"],
  // Header lines: Authorization: Bearer …
  [new RegExp(`\\b(${SECRET_NAMES})(\\s*[:=]\\s*)(?!['"\`\\[])[^\\s,;]+(?:\\s+[^\\s,;]+)?`, 'gi'), '$1$2[redacted]'],
  // Whatever is left: anything shaped like a JWT, and 64-hex-digit PeerJS tokens.
  [/\beyJ[\w-]*\.[\w-]+\.[\w-]*/g, '[redacted-jwt]'],
  [/\b[0-9a-f]{64}\b/gi, '[redacted]'],
];

/** Removes tokens, PeerJS tokens, tickets and TURN credentials from text bound for a log. */
export function redact(text: string): string {
  return REDACTIONS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/**
 * Every log line of the server goes through here: errors can carry request URLs, headers and
 * bodies (ws and Express put them on error objects), and logs are read by more people than
 * should hold a credential.
 */
export function logError(context: string, error: unknown): void {
  const text = error instanceof Error || typeof error === 'object' ? inspect(error, { depth: 4 }) : String(error);
  console.error(`peercall: ${context}: ${redact(text)}`);
}
