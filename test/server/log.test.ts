import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { logError, redact } from '../../server/log.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoieCIsInJvbGUiOiJob3N0In0.c2lnbmF0dXJlLWJ5dGVz';
const PEER_TOKEN = 'ab'.repeat(32);

describe('redact', () => {
  test('drops the whole query of signaling URLs', () => {
    assert.equal(
      redact(`GET /peerjs/peerjs?key=peercall&id=1234&token=${PEER_TOKEN} 401`),
      'GET /peerjs/peerjs?[redacted] 401',
    );
    assert.equal(redact('wss://calls.example/base/peerjs/peerjs?id=1&token=2'), 'wss://calls.example/base/peerjs/peerjs?[redacted]');
  });

  test('drops credentials in other query strings, JSON, inspect() output and headers', () => {
    assert.equal(redact('/x?name=Ann&token=abc&b=1'), '/x?name=Ann&token=[redacted]&b=1');
    assert.equal(redact('{"token":"abc","name":"Ann","credential":"c2Vj"}'), `{"token":'[redacted]',"name":"Ann","credential":'[redacted]'}`);
    assert.equal(redact("{ ticket: 'abc', username: '1:peer' }"), "{ ticket: '[redacted]', username: '1:peer' }");
    assert.equal(redact('authorization: Bearer abc.def'), 'authorization: [redacted]');
    assert.equal(redact('/api/rooms/r/waiting/c2VjcmV0LXRpY2tldA?x'), '/api/rooms/r/waiting/[redacted]?x');
  });

  test('drops bare JWTs and PeerJS tokens wherever they appear', () => {
    assert.equal(redact(`invalid ${JWT} here`), 'invalid [redacted-jwt] here');
    assert.equal(redact(`id x has ${PEER_TOKEN}`), 'id x has [redacted]');
  });

  test('leaves ordinary text alone', () => {
    const text = 'peercall: Room support-1 is full (6 participants). Error: EADDRINUSE 127.0.0.1:9000';
    assert.equal(redact(text), text);
  });
});

describe('logError', () => {
  test('writes one redacted line to stderr, including the properties of error objects', (t) => {
    const lines: string[] = [];
    t.mock.method(console, 'error', (...args: unknown[]) => lines.push(args.join(' ')));
    const error = Object.assign(new Error(`upgrade failed for /peerjs/peerjs?id=1&token=${PEER_TOKEN}`), {
      body: { token: JWT, name: 'Ann' },
      headers: { authorization: `Bearer ${JWT}` },
    });
    logError('signaling error', error);
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.match(line!, /^peercall: signaling error: Error: upgrade failed for \/peerjs\/peerjs\?\[redacted\]/);
    assert.match(line!, /name: 'Ann'/);
    assert.ok(!line!.includes(PEER_TOKEN), line);
    assert.ok(!line!.includes(JWT), line);
    assert.ok(!line!.includes('eyJ'), line);
  });
});
