import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { clientIp, rateKey } from '../../server/client-ip.js';
import { OriginPolicy } from '../../server/origin-policy.js';
import { KeyedRateLimiter, TokenBucket } from '../../server/rate-limit.js';

describe('TokenBucket', () => {
  test('allows a burst of its capacity, then refills at its rate', () => {
    const bucket = new TokenBucket(3, 2, 0);
    assert.deepEqual([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)], [true, true, true, false]);
    assert.equal(bucket.msUntilNext(0), 500);
    assert.equal(bucket.take(499), false);
    assert.equal(bucket.take(500), true);
    assert.equal(bucket.isFull(500), false);
    // Never more than the capacity, however long it waits.
    assert.equal(bucket.isFull(60_000), true);
    assert.deepEqual([bucket.take(60_000), bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)], [true, true, true, false]);
  });
});

describe('KeyedRateLimiter', () => {
  test('keeps one budget per key and says when to retry', () => {
    const clock = { now: 0 };
    const limiter = new KeyedRateLimiter({ capacity: 2, perSecond: 0.2, now: () => clock.now });
    assert.deepEqual(limiter.take('a'), { allowed: true });
    assert.deepEqual(limiter.take('a'), { allowed: true });
    assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterMs: 5000 });
    assert.deepEqual(limiter.take('b'), { allowed: true });
    clock.now = 5000;
    assert.deepEqual(limiter.take('a'), { allowed: true });
  });

  test('stays within maxKeys under a flood of distinct keys, forgetting idle ones first', () => {
    const clock = { now: 0 };
    const limiter = new KeyedRateLimiter({ capacity: 1, perSecond: 1, maxKeys: 100, now: () => clock.now });
    limiter.take('busy');
    for (let i = 0; i < 10_000; i += 1) limiter.take(`flood-${i}`);
    assert.ok(limiter.size <= 100, String(limiter.size));
    // A key that is still limited when the flood arrives keeps its record if idle ones can go.
    const clock2 = { now: 0 };
    const small = new KeyedRateLimiter({ capacity: 1, perSecond: 1, maxKeys: 3, now: () => clock2.now });
    small.take('x');
    small.take('y');
    clock2.now = 900;
    small.take('limited');
    // x and y have refilled (idle), 'limited' has not.
    clock2.now = 1000;
    small.take('z');
    assert.equal(small.take('limited').allowed, false);
    assert.equal(small.size, 2);
  });
});

function request(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  return { socket: { remoteAddress }, headers } as unknown as IncomingMessage;
}

describe('clientIp and rateKey', () => {
  test('uses the socket address unless proxied', () => {
    const req = request('10.0.0.1', { 'x-forwarded-for': '1.2.3.4' });
    assert.equal(clientIp(req, false), '10.0.0.1');
    assert.equal(clientIp(request('::ffff:10.0.0.2'), false), '10.0.0.2');
  });

  test('behind a proxy, trusts only the entry the proxy appended (the last)', () => {
    assert.equal(clientIp(request('127.0.0.1', { 'x-forwarded-for': 'spoofed, 203.0.113.9' }), true), '203.0.113.9');
    assert.equal(clientIp(request('127.0.0.1', { 'x-forwarded-for': '203.0.113.9' }), true), '203.0.113.9');
    assert.equal(clientIp(request('127.0.0.1'), true), '127.0.0.1');
  });

  test('counts IPv6 clients per /64, IPv4 per address', () => {
    assert.equal(rateKey('203.0.113.9'), '203.0.113.9');
    assert.equal(rateKey('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(rateKey('2001:0DB8:0001:0002::9'), '2001:db8:1:2::/64');
    assert.equal(rateKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(rateKey('::1'), '0:0:0:0::/64');
    assert.equal(rateKey('not an address'), 'not an address');
  });
});

describe('OriginPolicy', () => {
  const req = (origin: string | undefined, host = 'calls.example') =>
    ({ headers: { ...(origin !== undefined && { origin }), host } }) as unknown as IncomingMessage;

  test('* admits every origin and reflects it', () => {
    const open = new OriginPolicy('*');
    assert.equal(open.isOpen, true);
    assert.equal(open.admits(req('https://anything.example')), true);
    assert.equal(open.corsOrigin(req('https://anything.example')), 'https://anything.example');
  });

  test('a list admits its origins, the server itself and requests without Origin', () => {
    const policy = new OriginPolicy(new Set(['https://shop.example']));
    assert.equal(policy.isOpen, false);
    assert.equal(policy.admits(req('https://shop.example')), true);
    assert.equal(policy.admits(req('https://evil.example')), false);
    assert.equal(policy.admits(req('https://shop.example.evil.example')), false);
    assert.equal(policy.admits(req('http://shop.example')), false);
    assert.equal(policy.admits(req('null')), false);
    assert.equal(policy.admits(req('https://calls.example')), true);
    assert.equal(policy.admits(req(undefined)), true);
    assert.equal(policy.corsOrigin(req('https://evil.example')), undefined);
    assert.equal(policy.corsOrigin(req('https://shop.example')), 'https://shop.example');
  });
});
