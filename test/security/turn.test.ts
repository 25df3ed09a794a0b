import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RTCIceServerLike } from '../../src/core/protocol.js';
import { turnCredentials } from '../../server/turn-credentials.js';
import { join, startTestServer, type TestServer } from '../server/helpers.js';
import { ensureCoturn, startCoturn, type Coturn } from './coturn.js';
import { StunClient } from './stun-client.js';

const SECRET = 'coturn-static-auth-secret-for-tests';

let coturn: Coturn;
let server: TestServer;

before(async () => {
  ensureCoturn();
  coturn = await startCoturn(SECRET, 'peercall.test');
  server = await startTestServer({ turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=udp`], turnSecret: SECRET, turnTtlSeconds: 600 });
});
after(async () => {
  await server?.close();
  await coturn?.stop();
});

/** From a fresh UDP socket each time: TURN allows one allocation per client address and port. */
async function allocate(username: string, password: string) {
  const stun = new StunClient('127.0.0.1', coturn.port);
  try {
    return await stun.allocate(username, password);
  } finally {
    stun.close();
  }
}

async function turnEntry(): Promise<{ peerId: string; turn: RTCIceServerLike }> {
  const joined = await join(server.base, 'turn-room', 'Ann');
  const turn = joined.iceServers.find((entry) => [entry.urls].flat().some((url) => url.startsWith('turn:')));
  assert.ok(turn, JSON.stringify(joined.iceServers));
  return { peerId: joined.peerId, turn };
}

describe('TURN credentials against a real coturn (use-auth-secret)', () => {
  test('a join hands out credentials that coturn accepts for a relay', async () => {
    const { peerId, turn } = await turnEntry();
    assert.deepEqual(turn.urls, [`turn:127.0.0.1:${coturn.port}?transport=udp`]);
    const [expiry, user] = turn.username!.split(':');
    assert.equal(user, peerId);
    assert.ok(Math.abs(Number(expiry) - (Date.now() / 1000 + 600)) < 5);
    const result = await allocate(turn.username!, turn.credential!);
    assert.equal(result.outcome, 'allocated', `${JSON.stringify(result)}\n${coturn.log()}`);
  });

  test('coturn refuses expired credentials', async () => {
    const settings = { urls: [], secret: SECRET, ttlSeconds: 600 };
    const expired = turnCredentials(settings, 'some-peer', Date.now() - 3600_000);
    assert.deepEqual(await allocate(expired.username!, expired.credential!), { outcome: 'refused', errorCode: 401, reason: 'Unauthorized' });
  });

  test('coturn refuses credentials from another secret, and a username altered after signing', async () => {
    const forged = turnCredentials({ urls: [], secret: 'not-the-coturn-secret-at-all', ttlSeconds: 600 }, 'some-peer');
    assert.equal((await allocate(forged.username!, forged.credential!)).outcome, 'refused');
    const { turn } = await turnEntry();
    const [expiry] = turn.username!.split(':');
    // Pushing the expiry out (or taking over another id) breaks the HMAC.
    const stretched = `${Number(expiry) + 86_400}:${turn.username!.split(':')[1]}`;
    assert.equal((await allocate(stretched, turn.credential!)).outcome, 'refused');
  });
});
