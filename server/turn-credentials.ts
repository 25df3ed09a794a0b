import { createHmac } from 'node:crypto';
import type { RTCIceServerLike } from '../src/core/protocol.js';

export interface TurnSettings {
  urls: string[];
  secret: string;
  ttlSeconds: number;
}

/**
 * TURN REST credentials as coturn's use-auth-secret checks them: the username is
 * `<expiry unix time>:<peer id>`, the password base64(HMAC-SHA1(secret, username)). coturn needs
 * nothing from us per call, and a leaked credential dies at its expiry.
 */
export function turnCredentials({ urls, secret, ttlSeconds }: TurnSettings, peerId: string, now = Date.now()): RTCIceServerLike {
  const username = `${Math.floor(now / 1000) + ttlSeconds}:${peerId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { urls: [...urls], username, credential };
}
