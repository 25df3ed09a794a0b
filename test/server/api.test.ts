import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { ErrorResponse, JoinResponse } from '../../src/core/protocol.js';
import {
  FAKE_DEMO,
  FAKE_WIDGET,
  FAKE_WIDGET_CHUNK,
  PeerSocket,
  delay,
  expectRefusedSocket,
  identityQuery,
  join,
  socketUrl,
  startTestServer,
  withTimeout,
  type TestServer,
} from './helpers.js';

const ICE_SERVERS = [{ urls: 'stun:stun.example.com:3478' }];
const MAX_PARTICIPANTS = 3;

let shared: TestServer;
let roomCounter = 0;
/** A fresh room per test, so tests never see each other's members. */
const freshRoom = () => `room-${process.pid}-${++roomCounter}`;

before(async () => {
  shared = await startTestServer({ iceServers: ICE_SERVERS, maxParticipants: MAX_PARTICIPANTS });
});
after(async () => {
  await shared.close();
});

function postJoin(room: string, body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return fetch(`${shared.base}/api/rooms/${room}/join`, { method: 'POST', headers, body });
}

async function expectJsonError(response: Response, status: number, message?: RegExp): Promise<void> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = (await response.json()) as ErrorResponse;
  assert.equal(typeof body.message, 'string');
  assert.ok(body.message.length > 0);
  if (message) assert.match(body.message, message);
}

describe('room API', () => {
  test('GET /healthz answers ok', async () => {
    const response = await fetch(`${shared.base}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { ok: true });
  });

  test('join mints an identity and returns a well-formed JoinResponse', async () => {
    const room = freshRoom();
    const response = await postJoin(room, JSON.stringify({ name: '  Ann\u202E  Smith ' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const body = (await response.json()) as JoinResponse;
    assert.deepEqual(Object.keys(body).sort(), ['iceServers', 'name', 'peer', 'peerId', 'resume', 'role', 'room', 'roster', 'token']);
    assert.equal(body.room, room);
    assert.match(body.peerId, /^[0-9a-f-]{36}$/);
    assert.match(body.token, /^[0-9a-f]{64}$/);
    assert.equal(body.name, 'Ann Smith');
    assert.deepEqual(body.roster, []);
    assert.deepEqual(body.iceServers, ICE_SERVERS);
    assert.deepEqual(body.peer, { path: '/peerjs', key: 'peercall' });
    // Open rooms have no hosts.
    assert.equal(body.role, 'guest');
  });

  test('join without a body or name gets the default name', async () => {
    const empty = await fetch(`${shared.base}/api/rooms/${freshRoom()}/join`, { method: 'POST' });
    assert.equal(empty.status, 200);
    assert.equal(((await empty.json()) as JoinResponse).name, 'Guest');
    const noName = await postJoin(freshRoom(), '{}');
    assert.equal(noName.status, 200);
    assert.equal(((await noName.json()) as JoinResponse).name, 'Guest');
  });

  test('the roster in a join answer lists connected members, not pending ones', async () => {
    const room = freshRoom();
    const ann = await join(shared.base, room, 'Ann');
    await join(shared.base, room, 'Pending Pat');
    const annSocket = await PeerSocket.open(shared.port, identityQuery(ann));
    try {
      await annSocket.next();
      await annSocket.nextRoster();
      const bob = await join(shared.base, room, 'Bob');
      assert.deepEqual(bob.roster, [{ peerId: ann.peerId, name: 'Ann' }]);
    } finally {
      await annSocket.close();
    }
  });

  test('bad room names answer 400 with the rule', async () => {
    // (fetch resolves %2e%2e and .%2e segments itself before sending, so those cannot be sent from here.)
    for (const room of ['a%20b', 'x'.repeat(65), '..%2Fx', 'caf%C3%A9', '..x', 'a.b']) {
      await expectJsonError(await postJoin(room, '{}'), 400, /Room names are 1–64 characters/);
    }
  });

  test('a malformed percent-encoding answers 400 JSON', async () => {
    await expectJsonError(await postJoin('%E0%A4%A', '{}'), 400);
  });

  test('bad bodies answer 400, 413 or 415 with a message', async () => {
    const room = freshRoom();
    await expectJsonError(await postJoin(room, '{"name":'), 400, /not valid JSON/);
    await expectJsonError(await postJoin(room, '"Ann"'), 400, /not valid JSON/);
    await expectJsonError(await postJoin(room, '["Ann"]'), 400, /must be a JSON object/);
    await expectJsonError(await postJoin(room, '{"name":42}'), 400, /name must be a string/);
    await expectJsonError(await postJoin(room, '{"name":null}'), 400, /name must be a string/);
    await expectJsonError(await postJoin(room, '{"name":["Ann"]}'), 400, /name must be a string/);
    await expectJsonError(await postJoin(room, JSON.stringify({ name: 'x'.repeat(5000) })), 413, /too large/);
    await expectJsonError(await postJoin(room, '{"name":"Ann"}', { 'content-type': 'text/plain' }), 415, /application\/json/);
    // None of those took a place in the room.
    for (let i = 0; i < MAX_PARTICIPANTS; i += 1) await join(shared.base, room);
  });

  test('a full room answers 409', async () => {
    const room = freshRoom();
    for (let i = 0; i < MAX_PARTICIPANTS; i += 1) await join(shared.base, room, `P${i}`);
    await expectJsonError(await postJoin(room, '{}'), 409, new RegExp(`^Room is full \\(${MAX_PARTICIPANTS} participants\\)\\.$`));
    // Another room is not affected.
    await join(shared.base, freshRoom());
  });

  test('unknown API routes answer 404 JSON, a wrong method 405 JSON', async () => {
    await expectJsonError(await fetch(`${shared.base}/api/nope`), 404);
    await expectJsonError(await fetch(`${shared.base}/api/rooms/x/leave`, { method: 'POST' }), 404);
    const wrongMethod = await fetch(`${shared.base}/api/rooms/x/join`);
    assert.equal(wrongMethod.headers.get('allow'), 'POST, OPTIONS');
    await expectJsonError(wrongMethod, 405);
  });

  test('other unknown routes answer 404', async () => {
    const response = await fetch(`${shared.base}/no-such-page`);
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'Not found\n');
  });

  test('CORS: preflight and answers reflect any origin', async () => {
    const origin = 'https://some-site.example';
    const preflight = await fetch(`${shared.base}/api/rooms/x/join`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), origin);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /content-type/i);

    const joined = await postJoin(freshRoom(), '{}', { 'content-type': 'application/json', origin });
    assert.equal(joined.status, 200);
    assert.equal(joined.headers.get('access-control-allow-origin'), origin);
    const failed = await postJoin('bad%20room', '{}', { 'content-type': 'application/json', origin });
    assert.equal(failed.status, 400);
    assert.equal(failed.headers.get('access-control-allow-origin'), origin);
  });
});

describe('static files', () => {
  test('/video-call.js is served to any origin as JavaScript', async () => {
    const response = await fetch(`${shared.base}/video-call.js`, { headers: { origin: 'https://some-site.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.equal(await response.text(), FAKE_WIDGET);
  });

  test('the widget’s lazy chunks are served like the widget, and nothing else by that pattern', async () => {
    const response = await fetch(`${shared.base}/video-call-panel-Ab12_cD.js`, { headers: { origin: 'https://some-site.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(response.headers.get('cache-control') ?? '', /immutable/);
    assert.equal(await response.text(), FAKE_WIDGET_CHUNK);
    for (const path of ['/video-call-missing.js', '/video-call-..%2Fpackage.json', '/video-call-x.json']) {
      const other = await fetch(`${shared.base}${path}`);
      assert.equal(other.status, 404, path);
      await other.arrayBuffer();
    }
  });

  test('a missing source map is a plain 404', async () => {
    const response = await fetch(`${shared.base}/video-call.js.map`);
    assert.equal(response.status, 404);
    await response.arrayBuffer();
  });

  test('the demo page is served at /', async () => {
    const response = await fetch(`${shared.base}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(await response.text(), FAKE_DEMO);
  });

  test('an unbuilt widget answers 503 saying how to build it', async () => {
    const unbuilt = await startTestServer({}, { withWidget: false });
    try {
      const response = await fetch(`${unbuilt.base}/video-call.js`);
      assert.equal(response.status, 503);
      assert.match(await response.text(), /npm run build/);
    } finally {
      await unbuilt.close();
    }
  });
});

describe('signaling socket', () => {
  test('a minted identity gets OPEN, then a roster listing itself', async () => {
    const room = freshRoom();
    const ann = await join(shared.base, room, 'Ann');
    const socket = await PeerSocket.open(shared.port, identityQuery(ann));
    try {
      assert.deepEqual(await socket.next(), { type: 'OPEN' });
      assert.deepEqual(await socket.next(), {
        type: 'PEERCALL_ROSTER',
        payload: { room, members: [{ peerId: ann.peerId, name: 'Ann' }] },
      });
    } finally {
      await socket.close();
    }
  });

  test('forged ids, wrong tokens, wrong keys and odd queries are refused with 401', async () => {
    const ann = await join(shared.base, freshRoom(), 'Ann');
    const valid = identityQuery(ann);
    const forged = { key: 'peercall', id: randomUUID(), token: randomBytes(32).toString('hex') };
    const attempts: Record<string, Record<string, string>> = {
      'forged id': forged,
      'real id, wrong token': { ...valid, token: randomBytes(32).toString('hex') },
      'real id, token of another member': { ...valid, token: (await join(shared.base, freshRoom())).token },
      'wrong key': { ...valid, key: 'peerjs' },
      'no token': { key: valid.key, id: valid.id },
      'no key': { id: valid.id, token: valid.token },
    };
    for (const [what, query] of Object.entries(attempts)) {
      const refusal = await expectRefusedSocket(shared.port, query);
      assert.equal(refusal.status, 401, what);
      assert.deepEqual(refusal.messages, [], what);
    }
    // None of the failed attempts used up the real identity.
    const socket = await PeerSocket.open(shared.port, valid);
    try {
      assert.deepEqual(await socket.next(), { type: 'OPEN' });
    } finally {
      await socket.close();
    }
  });

  test('a repeated query parameter is refused, so we and PeerServer agree on the id', async () => {
    const ann = await join(shared.base, freshRoom(), 'Ann');
    const url = `${socketUrl(shared.port, identityQuery(ann))}&id=${randomUUID()}`;
    const ws = new WebSocket(url);
    const status = await withTimeout(
      new Promise<number>((resolve, reject) => {
        ws.once('unexpected-response', (request, response) => {
          request.destroy();
          resolve(response.statusCode ?? 0);
        });
        ws.once('open', () => {
          ws.terminate();
          reject(new Error('socket with a repeated id was accepted'));
        });
        ws.once('error', reject);
      }),
      3000,
      'the upgrade to be refused',
    );
    assert.equal(status, 401);
  });

  test('an identity is single-use: a second socket is refused, during and after the first', async () => {
    const ann = await join(shared.base, freshRoom(), 'Ann');
    const first = await PeerSocket.open(shared.port, identityQuery(ann));
    assert.deepEqual(await first.next(), { type: 'OPEN' });
    const whileConnected = await expectRefusedSocket(shared.port, identityQuery(ann));
    assert.equal(whileConnected.status, 401);
    assert.deepEqual(whileConnected.messages, []);
    // The refused attempt did not disturb the first socket.
    assert.equal(first.ws.readyState, WebSocket.OPEN);
    await first.close();
    const afterClose = await expectRefusedSocket(shared.port, identityQuery(ann));
    assert.equal(afterClose.status, 401);
  });

  test('upgrades on other paths are refused', async () => {
    const ann = await join(shared.base, freshRoom(), 'Ann');
    const ws = new WebSocket(`ws://127.0.0.1:${shared.port}/api/peerjs?${new URLSearchParams(identityQuery(ann))}`);
    const status = await withTimeout(
      new Promise<number>((resolve, reject) => {
        ws.once('unexpected-response', (request, response) => {
          request.destroy();
          resolve(response.statusCode ?? 0);
        });
        ws.once('open', () => reject(new Error('accepted on the wrong path')));
        ws.once('error', reject);
      }),
      3000,
      'the upgrade to be refused',
    );
    assert.equal(status, 400);
  });

  test('members of a room see each other come and go; other rooms stay invisible', async () => {
    const room = freshRoom();
    const otherRoom = freshRoom();
    const ann = await join(shared.base, room, 'Ann');
    const bob = await join(shared.base, room, 'Bob');
    const cid = await join(shared.base, otherRoom, 'Cid');
    const annEntry = { peerId: ann.peerId, name: 'Ann' };
    const bobEntry = { peerId: bob.peerId, name: 'Bob' };
    const cidEntry = { peerId: cid.peerId, name: 'Cid' };

    const annSocket = await PeerSocket.open(shared.port, identityQuery(ann));
    const cidSocket = await PeerSocket.open(shared.port, identityQuery(cid));
    const bobSocket = await PeerSocket.open(shared.port, identityQuery(bob));
    try {
      assert.deepEqual(await annSocket.next(), { type: 'OPEN' });
      assert.deepEqual(await annSocket.nextRoster(), [annEntry]);
      // Cid connected before Bob, so a roster leaking Cid would arrive before this one.
      assert.deepEqual(await annSocket.nextRoster(), [annEntry, bobEntry]);
      assert.deepEqual(await bobSocket.next(), { type: 'OPEN' });
      assert.deepEqual(await bobSocket.nextRoster(), [annEntry, bobEntry]);
      assert.deepEqual(await cidSocket.next(), { type: 'OPEN' });
      assert.deepEqual(await cidSocket.nextRoster(), [cidEntry]);

      await bobSocket.close();
      assert.deepEqual(await annSocket.nextRoster(), [annEntry]);
      assert.deepEqual(shared.server.rooms.roster(room), [annEntry]);

      // Cid heard nothing about Ann's room.
      await delay(100);
      assert.equal(cidSocket.messages.length, 2);
      assert.doesNotMatch(JSON.stringify(annSocket.messages), new RegExp(cid.peerId));
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close(), cidSocket.close()]);
    }
  });
});

describe('signaling with short timeouts', () => {
  let quick: TestServer;
  before(async () => {
    quick = await startTestServer({ identityTtlMs: 300, aliveTimeoutMs: 1000 });
  });
  after(async () => {
    await quick.close();
  });

  test('an identity not used within the TTL is refused', async () => {
    const ann = await join(quick.base, freshRoom(), 'Ann');
    await delay(400);
    const refusal = await expectRefusedSocket(quick.port, identityQuery(ann));
    assert.equal(refusal.status, 401);
    assert.deepEqual(refusal.messages, []);
  });

  test('a member who stops sending heartbeats is dropped from the roster', async () => {
    const room = freshRoom();
    const ann = await join(quick.base, room, 'Ann');
    const bob = await join(quick.base, room, 'Bob');
    const annSocket = await PeerSocket.open(quick.port, identityQuery(ann));
    const heartbeat = setInterval(() => annSocket.ws.send(JSON.stringify({ type: 'HEARTBEAT' })), 200);
    const bobSocket = await PeerSocket.open(quick.port, identityQuery(bob));
    try {
      await annSocket.next();
      await annSocket.nextRoster();
      assert.equal((await annSocket.nextRoster()).length, 2);
      // Bob says nothing; PeerServer's sweeper drops him after the 1 s alive timeout.
      assert.deepEqual(await annSocket.nextRoster(), [{ peerId: ann.peerId, name: 'Ann' }]);
      await withTimeout(
        new Promise((resolve) => (bobSocket.ws.readyState === WebSocket.CLOSED ? resolve(null) : bobSocket.ws.once('close', resolve))),
        3000,
        "Bob's socket to be closed by the server",
      );
    } finally {
      clearInterval(heartbeat);
      await Promise.all([annSocket.close(), bobSocket.close()]);
    }
  });
});

describe('close()', () => {
  test('closes open signaling sockets and stops listening promptly', async () => {
    const server = await startTestServer();
    const ann = await join(server.base, freshRoom(), 'Ann');
    const socket = await PeerSocket.open(server.port, identityQuery(ann));
    const socketClosed = new Promise((resolve) => socket.ws.once('close', resolve));
    await server.close();
    await withTimeout(socketClosed, 1000, 'the client to see its socket close');
    await assert.rejects(fetch(`${server.base}/healthz`));
  });
});
