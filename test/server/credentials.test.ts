import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { SignJWT, UnsecuredJWT, base64url } from 'jose';
import { createJoinToken, verifyJoinToken } from '../../server/join-tokens.js';
import { turnCredentials } from '../../server/turn-credentials.js';

const SECRET = 'a-token-secret-of-at-least-32-bytes!';
const key = new TextEncoder().encode(SECRET);
const nowSeconds = () => Math.floor(Date.now() / 1000);

function signed(claims: Record<string, unknown>, secret: Uint8Array = key, alg = 'HS256') {
  return new SignJWT(claims).setProtectedHeader({ alg }).sign(secret);
}

describe('join tokens', () => {
  test('createJoinToken makes a token verifyJoinToken accepts for its room only', async () => {
    const token = await createJoinToken({ secret: SECRET, room: 'support-1', role: 'host', name: 'Ann', ttlSeconds: 600, jti: 'inv-1' });
    const check = await verifyJoinToken(token, SECRET, 'support-1');
    assert.equal(check.ok, true);
    const { token: verified } = check as Extract<typeof check, { ok: true }>;
    assert.equal(verified.role, 'host');
    assert.equal(verified.name, 'Ann');
    assert.equal(verified.revocationKey, 'jti:inv-1');
    assert.ok(Math.abs(verified.expiresAt - (Date.now() + 605_000)) < 2000);
    assert.deepEqual(await verifyJoinToken(token, SECRET, 'support-2'), { ok: false, code: 'token-wrong-room' });
  });

  test('without a jti the revocation key is a hash of the token, not the token', async () => {
    const token = await createJoinToken({ secret: SECRET, room: 'r', role: 'guest', ttlSeconds: 60 });
    const check = await verifyJoinToken(token, SECRET, 'r');
    assert.ok(check.ok);
    assert.match(check.token.revocationKey, /^sha256:[0-9a-f]{64}$/);
    assert.ok(!check.token.revocationKey.includes(token));
    assert.equal(check.token.name, undefined);
  });

  test('refuses forged, tampered, unsigned and expired tokens', async () => {
    const exp = nowSeconds() + 600;
    const good = await signed({ room: 'r', role: 'guest', exp });
    const [header, , signature] = good.split('.');
    const elevated = base64url.encode(JSON.stringify({ room: 'r', role: 'host', exp }));
    const cases: [string, string, string][] = [
      ['other secret', await signed({ room: 'r', role: 'guest', exp }, new TextEncoder().encode('x'.repeat(32))), 'token-invalid'],
      ['tampered payload', `${header}.${elevated}.${signature}`, 'token-invalid'],
      ['alg none', new UnsecuredJWT({ room: 'r', role: 'host', exp }).encode(), 'token-invalid'],
      ['HS512 with the same key', await signed({ room: 'r', role: 'guest', exp }, key, 'HS512'), 'token-invalid'],
      ['no exp', await signed({ room: 'r', role: 'guest' }), 'token-invalid'],
      ['expired', await signed({ room: 'r', role: 'guest', exp: nowSeconds() - 10 }), 'token-expired'],
      ['not yet valid', await signed({ room: 'r', role: 'guest', exp, nbf: nowSeconds() + 600 }), 'token-invalid'],
      ['bad role', await signed({ room: 'r', role: 'admin', exp }), 'token-invalid'],
      ['no role', await signed({ room: 'r', exp }), 'token-invalid'],
      ['bad room', await signed({ room: '../r', role: 'guest', exp }), 'token-invalid'],
      ['name not a string', await signed({ room: 'r', role: 'guest', exp, name: { html: '<b>' } }), 'token-invalid'],
      ['huge jti', await signed({ room: 'r', role: 'guest', exp, jti: 'j'.repeat(300) }), 'token-invalid'],
      ['garbage', 'not.a.jwt', 'token-invalid'],
      ['empty', '', 'token-invalid'],
      ['oversize', `${good}${'A'.repeat(5000)}`, 'token-invalid'],
    ];
    for (const [what, token, code] of cases) {
      assert.deepEqual(await verifyJoinToken(token, SECRET, 'r'), { ok: false, code }, what);
    }
    assert.equal((await verifyJoinToken(good, SECRET, 'r')).ok, true);
  });

  test('createJoinToken refuses a short secret and bad claims', async () => {
    await assert.rejects(createJoinToken({ secret: 'short', room: 'r', role: 'guest', ttlSeconds: 60 }), /at least 32 bytes/);
    await assert.rejects(createJoinToken({ secret: SECRET, room: 'a b', role: 'guest', ttlSeconds: 60 }), /not a valid room name/);
    await assert.rejects(createJoinToken({ secret: SECRET, room: 'r', role: 'admin' as 'host', ttlSeconds: 60 }), /host or guest/);
    await assert.rejects(createJoinToken({ secret: SECRET, room: 'r', role: 'guest', ttlSeconds: 0 }), /positive whole number/);
  });
});

describe('TURN credentials', () => {
  const settings = { urls: ['turn:turn.example:3478?transport=udp'], secret: 'coturn-shared-secret-1234', ttlSeconds: 3600 };
  const peerId = '3f2c1a9e-0000-4000-8000-000000000001';

  test('match a vector computed independently (Python hmac)', () => {
    const server = turnCredentials(settings, peerId, 1_700_000_000_000);
    assert.deepEqual(server, {
      urls: ['turn:turn.example:3478?transport=udp'],
      username: '1700003600:3f2c1a9e-0000-4000-8000-000000000001',
      credential: '07p4oZnBcdFCsRnvEHVGPn3YuK0=',
    });
  });

  test('match openssl for the current time', () => {
    const { username, credential } = turnCredentials(settings, peerId);
    const [expiry] = username!.split(':');
    assert.ok(Math.abs(Number(expiry) - (nowSeconds() + 3600)) <= 1);
    const expected = execFileSync('sh', ['-c', 'printf %s "$U" | openssl dgst -sha1 -hmac "$S" -binary | base64'], {
      env: { PATH: process.env.PATH, U: username, S: settings.secret },
      encoding: 'utf8',
    }).trim();
    assert.equal(credential, expected);
  });
});
