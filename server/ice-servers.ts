import type { RTCIceServerLike } from '../src/core/protocol.js';

export class IceServerError extends Error {
  override name = 'IceServerError';
}

// Host (or [IPv6]) and optional port; TURN may add ?transport=. No paths, no user info.
const ICE_URL = /^(?:stun:[^\s?#/@]+|turns?:[^\s?#/@]+(?:\?transport=(?:udp|tcp))?)$/i;
const ICE_SERVER_FIELDS = new Set(['urls', 'username', 'credential']);

/**
 * Reads the operator's STUN/TURN setting: a JSON array of RTCIceServer objects, or a
 * comma-separated list of credential-free URLs. Blank means none.
 */
export function parseIceServers(raw: string): RTCIceServerLike[] {
  const text = raw.trim();
  if (text === '') return [];
  return text.startsWith('[') ? parseJsonList(text) : parseUrlList(text);
}

function parseJsonList(text: string): RTCIceServerLike[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new IceServerError('not valid JSON.');
  }
  if (!Array.isArray(parsed)) throw new IceServerError('the JSON must be an array of servers.');
  return parsed.map((entry: unknown, index) => parseIceServer(entry, `server ${index + 1}`));
}

function parseIceServer(entry: unknown, label: string): RTCIceServerLike {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new IceServerError(`${label} must be an object like {"urls":"stun:host:3478"}.`);
  }
  const fields = entry as Record<string, unknown>;
  const unknownField = Object.keys(fields).find((field) => !ICE_SERVER_FIELDS.has(field));
  if (unknownField !== undefined) {
    throw new IceServerError(`${label} has an unknown field "${unknownField}" (use urls, username, credential).`);
  }
  const { urls, username, credential } = fields;
  const urlList = typeof urls === 'string' ? [urls] : urls;
  if (!Array.isArray(urlList) || urlList.length === 0 || !urlList.every((url) => typeof url === 'string')) {
    throw new IceServerError(`${label} needs "urls": a URL string or a non-empty array of them.`);
  }
  urlList.forEach(checkIceUrl);
  if (username !== undefined && typeof username !== 'string') {
    throw new IceServerError(`${label}: "username" must be a string.`);
  }
  if (credential !== undefined && typeof credential !== 'string') {
    throw new IceServerError(`${label}: "credential" must be a string.`);
  }
  // Browsers reject a TURN entry without both, which would break every call, not just relaying.
  if (urlList.some(isTurnUrl) && (username === undefined || credential === undefined)) {
    throw new IceServerError(`${label} has TURN URLs, so it needs "username" and "credential".`);
  }
  return {
    urls: typeof urls === 'string' ? urls : [...urlList],
    ...(username !== undefined && { username }),
    ...(credential !== undefined && { credential }),
  };
}

function parseUrlList(text: string): RTCIceServerLike[] {
  return text.split(',').map((item) => {
    const url = item.trim();
    if (url === '') throw new IceServerError('the list has an empty entry.');
    checkIceUrl(url);
    if (isTurnUrl(url)) {
      throw new IceServerError(
        `TURN servers need a username and credential; use the JSON form: ` +
          `[{"urls":"${url}","username":"…","credential":"…"}].`,
      );
    }
    return { urls: url };
  });
}

export function isValidIceUrl(url: string): boolean {
  return ICE_URL.test(url);
}

function checkIceUrl(url: string): void {
  if (!isValidIceUrl(url)) {
    throw new IceServerError(`"${url}" is not a stun:, turn: or turns: URL such as stun:stun.example.com:3478.`);
  }
}

export function isTurnUrl(url: string): boolean {
  return /^turns?:/i.test(url);
}
