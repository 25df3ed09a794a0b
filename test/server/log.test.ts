import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { handleErrors } from '../../server/http-errors.js';
import { createLogger, errorField, redact, type LogLevel } from '../../server/log.js';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJyb29tIjoieCIsInJvbGUiOiJob3N0In0.c2lnbmF0dXJlLWJ5dGVz';
const PEER_TOKEN = 'ab'.repeat(32);
const TICKET = 'eyJ2IjoxLCJyIjoicm9vbSIsInAiOiJwZWVyIn0.' + 'Q'.repeat(43);

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
    assert.equal(redact('{"resume":"abc.def"}'), `{"resume":'[redacted]'}`);
    assert.equal(redact('authorization: Bearer abc.def'), 'authorization: [redacted]');
    assert.equal(redact('/api/rooms/r/waiting/c2VjcmV0LXRpY2tldA?x'), '/api/rooms/r/waiting/[redacted]?x');
  });

  test('drops bare JWTs, resume tickets and PeerJS tokens wherever they appear', () => {
    assert.equal(redact(`invalid ${JWT} here`), 'invalid [redacted-jwt] here');
    assert.equal(redact(`ticket ${TICKET} here`), 'ticket [redacted-ticket] here');
    assert.equal(redact(`id x has ${PEER_TOKEN}`), 'id x has [redacted]');
  });

  test('leaves ordinary text alone', () => {
    const text = 'peercall: Room support-1 is full (6 participants). Error: EADDRINUSE 127.0.0.1:9000';
    assert.equal(redact(text), text);
  });
});

function capture(level: LogLevel = 'debug') {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  const logger = createLogger({ level, destination });
  return {
    logger,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  test('writes one JSON object per line, with level names, an ISO time and the message', () => {
    const { logger, lines } = capture('info');
    logger.debug('not at info');
    logger.info('started', { url: 'http://localhost:9000', sockets: 3 });
    logger.warn('careful');
    const [started, careful, ...rest] = lines();
    assert.equal(rest.length, 0);
    assert.equal(started!.level, 'info');
    assert.equal(started!.msg, 'started');
    assert.equal(started!.url, 'http://localhost:9000');
    assert.equal(started!.sockets, 3);
    assert.equal(started!.name, 'peercall');
    assert.ok(!Number.isNaN(Date.parse(String(started!.time))));
    assert.equal(careful!.level, 'warn');
  });

  test('silent writes nothing; isLevelEnabled follows the level', () => {
    const { logger, text } = capture('silent');
    logger.fatal('nothing');
    assert.equal(text(), '');
    assert.equal(logger.isLevelEnabled('fatal'), false);
    const info = capture('info').logger;
    assert.equal(info.isLevelEnabled('debug'), false);
    assert.equal(info.isLevelEnabled('warn'), true);
  });

  test('keeps credentials out: fields by name, strings, error messages, stacks and properties', () => {
    const { logger, text, lines } = capture();
    const error = Object.assign(new Error(`upgrade failed for /peerjs/peerjs?id=1&token=${PEER_TOKEN}`), {
      body: { token: JWT, name: 'Ann', resume: TICKET },
      headers: { authorization: `Bearer ${JWT}` },
      code: 'E_TEST',
    });
    logger.error(`signaling error for ${JWT}`, {
      ...errorField(error),
      turnSecret: 'coturn-secret',
      iceServers: [{ urls: 'turn:x', username: '1:peer', credential: 'c2VjcmV0' }],
      note: `resume=${TICKET}`,
    });
    const all = text();
    for (const secret of [PEER_TOKEN, JWT, TICKET, 'coturn-secret', 'c2VjcmV0', 'eyJ']) assert.ok(!all.includes(secret), `${secret} in ${all}`);
    const [line] = lines();
    const err = line!.err as Record<string, unknown>;
    assert.equal(err.type, 'Error');
    assert.match(String(err.message), /^upgrade failed for \/peerjs\/peerjs\?\[redacted\]$/);
    assert.match(String(err.stack), /log\.test\.ts/);
    assert.equal(err.code, 'E_TEST');
    assert.deepEqual(err.body, { token: '[redacted]', name: 'Ann', resume: '[redacted]' });
    assert.deepEqual(line!.iceServers, [{ urls: 'turn:x', username: '1:peer', credential: '[redacted]' }]);
    assert.equal(line!.msg, 'signaling error for [redacted-jwt]');
  });

  test('survives cycles and deep objects', () => {
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { a: { b: { c: { d: { e: 1 } } } } };
    loop.self = loop;
    logger.info('deep', { loop });
    assert.equal(lines().length, 1);
  });
});

describe('handleErrors', () => {
  test('logs an unexpected error (redacted) and answers a bare 500', () => {
    const { logger, lines } = capture();
    let status = 0;
    let body: unknown;
    const res = {
      headersSent: false,
      status(code: number) {
        status = code;
        return this;
      },
      json(value: unknown) {
        body = value;
        return this;
      },
    };
    const req = { method: 'POST', path: '/api/rooms/r/waiting/secret-ticket' };
    handleErrors(logger)(new Error(`boom ${PEER_TOKEN}`), req as never, res as never, () => assert.fail('next'));
    assert.equal(status, 500);
    assert.deepEqual(body, { message: 'Internal server error' });
    const [line] = lines();
    assert.equal(line!.level, 'error');
    assert.equal(line!.path, '/api/rooms/r/waiting/[redacted]');
    assert.equal((line!.err as { message: string }).message, 'boom [redacted]');
  });
});
