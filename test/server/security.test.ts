import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { ErrorResponse, JoinResponse, RosterMessage, WaitingResponse } from '../../src/core/protocol.js';
import { createJoinToken } from '../../server/index.js';
import {
  PeerSocket,
  connect as connectTo,
  delay,
  expectRefusedSocket,
  identityQuery,
  join,
  startTestServer,
  withTimeout,
  type TestServer,
} from './helpers.js';

const SECRET = 'security-suite-secret-of-32-bytes-at-least';
const MAX_PARTICIPANTS = 4;

let server: TestServer;
let counter = 0;
/** Token rooms start with t-, token rooms with a waiting room with tw-; the rest are open. */
const freshRoom = (prefix = 'open') => `${prefix}-${process.pid}-${++counter}`;

before(async () => {
  server = await startTestServer({
    tokenRooms: ['t-*', 'tw-*'],
    waitingRooms: ['tw-*'],
    tokenSecret: SECRET,
    maxParticipants: MAX_PARTICIPANTS,
  });
});
after(async () => {
  await server.close();
});

function postJoin(base: string, room: string, body: object, headers: Record<string, string> = {}) {
  return fetch(`${base}/api/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function control(room: string, body: object) {
  return fetch(`${server.base}/api/rooms/${room}/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function expectRefusal(response: Response, status: number, code?: string): Promise<ErrorResponse> {
  const body = (await response.json()) as ErrorResponse;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(typeof body.message, 'string');
  if (code !== undefined) assert.equal(body.code, code);
  return body;
}

const invite = (room: string, role: 'host' | 'guest', extra: { name?: string; jti?: string; ttlSeconds?: number } = {}) =>
  createJoinToken({ secret: SECRET, room, role, ttlSeconds: 600, ...extra });

async function joinWith(room: string, token: string, name?: string): Promise<JoinResponse> {
  const response = await postJoin(server.base, room, { token, ...(name !== undefined && { name }) });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as JoinResponse;
}

/** Opens a socket for a joined identity on `target` (the shared server unless given). */
const connect = (joined: JoinResponse, target = server): Promise<PeerSocket> => connectTo(joined, target.port);

async function nextRosterMessage(socket: PeerSocket): Promise<RosterMessage['payload']> {
  for (;;) {
    const message = (await socket.next('a roster')) as RosterMessage;
    if (message.type === 'PEERCALL_ROSTER') return message.payload;
  }
}

/** Everything the socket received, after a pause in which anything in flight would arrive. */
async function settledMessages(socket: PeerSocket): Promise<unknown[]> {
  await delay(300);
  return socket.messages;
}

describe('join tokens', () => {
  test('missing, forged, expired and wrong-room tokens are refused, and take no place', async () => {
    const room = freshRoom('t');
    const pendingBefore = server.server.rooms.pendingCount;
    const exp = Math.floor(Date.now() / 1000) + 600;
    const forged = await new SignJWT({ room, role: 'host', exp })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('an-attacker-guess-of-32-bytes-or-more'));
    const expired = await new SignJWT({ room, role: 'guest', exp: Math.floor(Date.now() / 1000) - 60 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(SECRET));
    await expectRefusal(await postJoin(server.base, room, {}), 401, 'token-required');
    await expectRefusal(await postJoin(server.base, room, { token: '' }), 401, 'token-required');
    await expectRefusal(await postJoin(server.base, room, { token: forged }), 401, 'token-invalid');
    await expectRefusal(await postJoin(server.base, room, { token: 'a.b.c' }), 401, 'token-invalid');
    await expectRefusal(await postJoin(server.base, room, { token: expired }), 401, 'token-expired');
    await expectRefusal(await postJoin(server.base, room, { token: await invite(freshRoom('t'), 'host') }), 403, 'token-wrong-room');
    await expectRefusal(await postJoin(server.base, room, { token: 42 }), 400);
    assert.equal(server.server.rooms.pendingCount, pendingBefore);
    // And no socket opens without a minted identity, in a token room as anywhere.
    const refusal = await expectRefusedSocket(server.port, { key: 'peercall', id: randomUUID(), token: randomBytes(32).toString('hex') });
    assert.equal(refusal.status, 401);
    assert.deepEqual(refusal.messages, []);
  });

  test("a valid token admits with its role, and its name (cleaned) overrides the visitor's", async () => {
    const room = freshRoom('t');
    const host = await joinWith(room, await invite(room, 'host', { name: 'Hal\u202E 9000' }), 'Typed Name');
    assert.equal(host.role, 'host');
    assert.equal(host.name, 'Hal 9000');
    const guest = await joinWith(room, await invite(room, 'guest'), 'Gus');
    assert.equal(guest.role, 'guest');
    assert.equal(guest.name, 'Gus');
    const socket = await PeerSocket.open(server.port, identityQuery(host));
    try {
      await socket.next();
      assert.deepEqual((await nextRosterMessage(socket)).members, [{ peerId: host.peerId, name: 'Hal 9000', role: 'host' }]);
    } finally {
      await socket.close();
    }
  });

  test('open rooms ignore tokens and have no hosts', async () => {
    const joined = await joinWith(freshRoom(), await invite('elsewhere', 'host', { name: 'Hal' }), 'Ann');
    assert.equal(joined.role, 'guest');
    assert.equal(joined.name, 'Ann');
    const forged = await joinWith(freshRoom(), 'not-a-token', 'Bob');
    assert.equal(forged.role, 'guest');
  });
});

describe('identity', () => {
  test('nobody takes over a connected id, even with its token; a departed id stays dead', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const bob = await join(server.base, room, 'Bob');
    const annSocket = await connect(ann);
    const bobSocket = await connect(bob);
    try {
      for (const token of [ann.token, randomBytes(32).toString('hex')]) {
        const hijack = await expectRefusedSocket(server.port, { ...identityQuery(ann), token });
        assert.equal(hijack.status, 401);
        assert.deepEqual(hijack.messages, []);
      }
      // Ann's socket is still hers: Bob's offer reaches her.
      bobSocket.ws.send(JSON.stringify({ type: 'OFFER', dst: ann.peerId, payload: { sdp: 'v=0' } }));
      let offer: unknown;
      do offer = await annSocket.next('the offer');
      while ((offer as { type: string }).type !== 'OFFER');
      assert.deepEqual(offer, { type: 'OFFER', src: bob.peerId, dst: ann.peerId, payload: { sdp: 'v=0' } });
      await annSocket.close();
      const afterLeaving = await expectRefusedSocket(server.port, identityQuery(ann));
      assert.equal(afterLeaving.status, 401);
      assert.deepEqual(afterLeaving.messages, []);
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close()]);
    }
  });

  test('a message for an id that has not connected is never queued, so nothing is flushed to anyone', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const bob = await join(server.base, room, 'Bob');
    const annSocket = await connect(ann);
    const dropped = server.server.metrics.get('signaling.dropped.unknown-destination');
    annSocket.ws.send(JSON.stringify({ type: 'OFFER', dst: bob.peerId, payload: { sdp: 'secret-sdp' } }));
    await delay(100);
    assert.equal(server.server.metrics.get('signaling.dropped.unknown-destination'), dropped + 1);
    // Refused before PeerServer registers the id, so it never flushes a queue to the impostor.
    const impostor = await expectRefusedSocket(server.port, { ...identityQuery(bob), token: randomBytes(32).toString('hex') });
    assert.equal(impostor.status, 401);
    assert.deepEqual(impostor.messages, []);
    const bobSocket = await PeerSocket.open(server.port, identityQuery(bob));
    try {
      assert.deepEqual(await bobSocket.next(), { type: 'OPEN' });
      assert.doesNotMatch(JSON.stringify(await settledMessages(bobSocket)), /secret-sdp/);
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close()]);
    }
  });
});

describe('isolation', () => {
  test('an OFFER from room B never reaches room A; within a room it does', async () => {
    const roomA = freshRoom();
    const roomB = freshRoom();
    const ann = await join(server.base, roomA, 'Ann');
    const bob = await join(server.base, roomA, 'Bob');
    const eve = await join(server.base, roomB, 'Eve');
    const annSocket = await connect(ann);
    const eveSocket = await connect(eve);
    const bobSocket = await connect(bob);
    try {
      await nextRosterMessage(annSocket);
      const otherRoom = server.server.metrics.get('signaling.dropped.other-room');
      const notAllowed = server.server.metrics.get('signaling.dropped.type-not-allowed');
      for (const message of [
        { type: 'OFFER', dst: ann.peerId, payload: { sdp: 'from-eve' } },
        { type: 'CANDIDATE', dst: ann.peerId, payload: { candidate: 'from-eve' } },
        { type: 'LEAVE', dst: ann.peerId },
        { type: 'EXPIRE', dst: ann.peerId, payload: { msg: 'from-eve' } },
        { type: 'OPEN', dst: ann.peerId },
        { type: 'PEERCALL_ROSTER', dst: ann.peerId, payload: { room: roomA, members: [] } },
      ]) {
        eveSocket.ws.send(JSON.stringify(message));
      }
      await delay(300);
      assert.deepEqual(
        annSocket.messages.map((message) => (message as { type: string }).type),
        ['OPEN', 'PEERCALL_ROSTER', 'PEERCALL_ROSTER'],
        'room A heard only its rosters',
      );
      assert.equal(server.server.metrics.get('signaling.dropped.other-room'), otherRoom + 3);
      assert.equal(server.server.metrics.get('signaling.dropped.type-not-allowed'), notAllowed + 3);

      bobSocket.ws.send(JSON.stringify({ type: 'OFFER', dst: ann.peerId, payload: { sdp: 'from-bob' } }));
      assert.deepEqual(await annSocket.next('the OFFER from Bob'), {
        type: 'OFFER',
        src: bob.peerId,
        dst: ann.peerId,
        payload: { sdp: 'from-bob' },
      });
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close(), eveSocket.close()]);
    }
  });

  test('a LEAVE without destination does not unregister the sender behind our back', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const bob = await join(server.base, room, 'Bob');
    const annSocket = await connect(ann);
    const bobSocket = await connect(bob);
    try {
      annSocket.ws.send(JSON.stringify({ type: 'LEAVE' }));
      await delay(100);
      bobSocket.ws.send(JSON.stringify({ type: 'OFFER', dst: ann.peerId, payload: { sdp: 'still-here' } }));
      let message: unknown;
      do message = await annSocket.next('the OFFER');
      while ((message as { type: string }).type !== 'OFFER');
      assert.equal((message as { payload: { sdp: string } }).payload.sdp, 'still-here');
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close()]);
    }
  });
});

describe('limits', () => {
  test('an oversize frame closes the socket (1009) and the room is told', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const bob = await join(server.base, room, 'Bob');
    const annSocket = await connect(ann);
    const bobSocket = await connect(bob);
    try {
      await nextRosterMessage(annSocket);
      const oversize = server.server.metrics.get('signaling.closed.oversize');
      bobSocket.ws.send(JSON.stringify({ type: 'OFFER', dst: ann.peerId, payload: { sdp: 'x'.repeat(64 * 1024) } }));
      assert.equal((await bobSocket.closed()).code, 1009);
      assert.deepEqual((await nextRosterMessage(annSocket)).members, [{ peerId: ann.peerId, name: 'Ann' }]);
      assert.equal(server.server.metrics.get('signaling.closed.oversize'), oversize + 1);
      assert.ok(!annSocket.messages.some((message) => (message as { type: string }).type === 'OFFER'));
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close()]);
    }
  });

  test('a flooding socket is cut off (1008) while a legitimate client still joins and gets OPEN', async () => {
    const room = freshRoom();
    const flooder = await connect(await join(server.base, room, 'Flood'));
    const closed = flooder.closed();
    const flood = setInterval(() => {
      for (let i = 0; i < 200 && flooder.ws.readyState === WebSocket.OPEN; i += 1) flooder.ws.send('{"type":"HEARTBEAT"}');
    }, 1);
    try {
      const legit = await PeerSocket.open(server.port, identityQuery(await join(server.base, room, 'Legit')));
      assert.deepEqual(await legit.next(), { type: 'OPEN' });
      await legit.close();
      assert.deepEqual(await closed, { code: 1008, reason: 'Too many messages' });
      assert.ok(server.server.metrics.get('signaling.closed.rate-limited') >= 1);
    } finally {
      clearInterval(flood);
      await flooder.close();
    }
  });

  test('a steady client within the rate is left alone', async () => {
    const socket = await connect(await join(server.base, freshRoom(), 'Calm'));
    try {
      // 50 a second is the default; 40 a second for a second stays under it.
      for (let i = 0; i < 40; i += 1) {
        socket.ws.send('{"type":"HEARTBEAT"}');
        await delay(25);
      }
      await delay(100);
      assert.equal(socket.ws.readyState, WebSocket.OPEN);
    } finally {
      await socket.close();
    }
  });

  test('joins per address are rate limited with 429 and Retry-After', async () => {
    const limited = await startTestServer({ joinRate: 3, proxied: true });
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i += 1) assert.equal((await postJoin(limited.base, 'r', {}, from('198.51.100.1'))).status, 200);
      const refused = await postJoin(limited.base, 'r', {}, from('198.51.100.1'));
      assert.equal(refused.headers.get('retry-after'), '4');
      await expectRefusal(refused, 429, 'rate-limited');
      // Invalid requests count too, so they cannot be used to probe for free.
      await expectRefusal(await postJoin(limited.base, 'bad%20room', {}, from('198.51.100.1')), 429, 'rate-limited');
      // Another address has its own budget; a spoofed leftmost X-Forwarded-For entry does not.
      assert.equal((await postJoin(limited.base, 'r', {}, from('198.51.100.2'))).status, 200);
      await expectRefusal(await postJoin(limited.base, 'r', {}, from('10.9.9.9, 198.51.100.1')), 429, 'rate-limited');
    } finally {
      await limited.close();
    }
  });

  test('sockets per address and in total are capped at the upgrade, without using up the identity', async () => {
    const capped = await startTestServer({ maxSocketsPerIp: 2, maxSockets: 3, maxPending: 4, proxied: true });
    const sockets: PeerSocket[] = [];
    try {
      const room = freshRoom();
      const joins = await Promise.all(['A', 'B', 'C', 'D'].map((name) => join(capped.base, room, name)));
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      sockets.push(await PeerSocket.open(capped.port, identityQuery(joins[0]!), from('192.0.2.1')));
      sockets.push(await PeerSocket.open(capped.port, identityQuery(joins[1]!), from('192.0.2.1')));
      const perIp = await expectRefusedSocket(capped.port, identityQuery(joins[2]!), from('192.0.2.1'));
      assert.equal(perIp.status, 429);
      sockets.push(await PeerSocket.open(capped.port, identityQuery(joins[2]!), from('192.0.2.2')));
      const total = await expectRefusedSocket(capped.port, identityQuery(joins[3]!), from('192.0.2.3'));
      assert.equal(total.status, 503);
      // Pending (joined, not connected) identities are capped server-wide too: D is one.
      for (const name of ['E', 'F', 'G']) await join(capped.base, freshRoom(), name);
      await expectRefusal(await postJoin(capped.base, freshRoom(), {}), 503, 'server-busy');
      // Closing a socket frees its place; the refused identity still works.
      await sockets.shift()!.close();
      await delay(50);
      sockets.push(await PeerSocket.open(capped.port, identityQuery(joins[3]!), from('192.0.2.1')));
      assert.deepEqual(await sockets.at(-1)!.next(), { type: 'OPEN' });
    } finally {
      await Promise.all(sockets.map((socket) => socket.close()));
      await capped.close();
    }
  });

  test('a full token room answers 409', async () => {
    const room = freshRoom('t');
    for (let i = 0; i < MAX_PARTICIPANTS; i += 1) await joinWith(room, await invite(room, 'guest'));
    await expectRefusal(await postJoin(server.base, room, { token: await invite(room, 'host') }), 409, 'room-full');
  });

  test('ws is at a version with the 2024 header-flood fix (>= 8.17.1)', () => {
    const { version } = createRequire(import.meta.url)('ws/package.json') as { version: string };
    const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
    assert.ok(major > 8 || (major === 8 && (minor > 17 || (minor === 17 && patch >= 1))), version);
  });
});

describe('allowed origins', () => {
  let strict: TestServer;
  const good = 'https://good.example';
  const evil = 'https://evil.example';
  before(async () => {
    strict = await startTestServer({ allowedOrigins: new Set([good]) });
  });
  after(async () => {
    await strict.close();
  });

  test('the API refuses other sites with 403 and no CORS headers, preflight included', async () => {
    const refused = await postJoin(strict.base, freshRoom(), {}, { origin: evil });
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    await expectRefusal(refused, 403, 'origin-not-allowed');
    const preflight = await fetch(`${strict.base}/api/rooms/x/join`, {
      method: 'OPTIONS',
      headers: { origin: evil, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.status, 403);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
    const presence = await fetch(`${strict.base}/api/rooms/x/presence`, { headers: { origin: evil } });
    await expectRefusal(presence, 403, 'origin-not-allowed');

    const allowed = await postJoin(strict.base, freshRoom(), {}, { origin: good });
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), good);
    // Site backends and the server's own pages are not other sites.
    assert.equal((await postJoin(strict.base, freshRoom(), {})).status, 200);
    assert.equal((await postJoin(strict.base, freshRoom(), {}, { origin: strict.base })).status, 200);
  });

  test('the signaling upgrade refuses other sites with 403', async () => {
    const refused = await expectRefusedSocket(strict.port, identityQuery(await join(strict.base, freshRoom())), { origin: evil });
    assert.equal(refused.status, 403);
    assert.deepEqual(refused.messages, []);
    const socket = await PeerSocket.open(strict.port, identityQuery(await join(strict.base, freshRoom())), { origin: good });
    try {
      assert.deepEqual(await socket.next(), { type: 'OPEN' });
    } finally {
      await socket.close();
    }
  });

  test('the widget bundle is only shared with allowed sites', async () => {
    const forEvil = await fetch(`${strict.base}/video-call.js`, { headers: { origin: evil } });
    assert.equal(forEvil.headers.get('access-control-allow-origin'), null);
    assert.match(forEvil.headers.get('vary') ?? '', /Origin/);
    await forEvil.arrayBuffer();
    const forGood = await fetch(`${strict.base}/video-call.js`, { headers: { origin: good } });
    assert.equal(forGood.headers.get('access-control-allow-origin'), good);
    await forGood.arrayBuffer();
  });
});

describe('host controls', () => {
  async function hostedRoom(prefix = 't') {
    const room = freshRoom(prefix);
    const host = await joinWith(room, await invite(room, 'host', { name: 'Hal' }));
    const hostSocket = await connect(host);
    return { room, host, hostSocket };
  }

  test('only a connected host of the room may use them', async () => {
    const { room, host, hostSocket } = await hostedRoom();
    const guest = await joinWith(room, await invite(room, 'guest'));
    const guestSocket = await connect(guest);
    const other = await hostedRoom();
    const openMember = await join(server.base, freshRoom(), 'Ann');
    const openSocket = await connect(openMember);
    try {
      const lock = { action: 'lock' };
      await expectRefusal(await control(room, { peerId: guest.peerId, token: guest.token, ...lock }), 403, 'host-only');
      await expectRefusal(await control(room, { peerId: host.peerId, token: guest.token, ...lock }), 401, 'not-a-member');
      await expectRefusal(await control(room, { peerId: other.host.peerId, token: other.host.token, ...lock }), 401, 'not-a-member');
      await expectRefusal(await control(openMember.room, { peerId: openMember.peerId, token: openMember.token, ...lock }), 403, 'host-only');
      await expectRefusal(await control(room, { peerId: host.peerId, token: host.token, action: 'explode' }), 400);
      await expectRefusal(await control(room, { peerId: host.peerId, token: host.token, action: 'remove' }), 400);
      await expectRefusal(await control(room, { peerId: host.peerId, token: host.token, action: 'remove', target: randomUUID() }), 404, 'no-such-target');
      await expectRefusal(await control(room, { peerId: host.peerId, token: host.token, action: 'remove', target: host.peerId }), 400);
      // A host whose socket is gone has no controls left.
      await other.hostSocket.close();
      await expectRefusal(await control(other.room, { peerId: other.host.peerId, token: other.host.token, ...lock }), 401, 'not-a-member');
    } finally {
      await Promise.all([hostSocket.close(), guestSocket.close(), other.hostSocket.close(), openSocket.close()]);
    }
  });

  test('a removed participant is told, disconnected, and cannot rejoin with the same token', async () => {
    const { room, host, hostSocket } = await hostedRoom();
    const gusToken = await invite(room, 'guest', { name: 'Gus', jti: `gus-${counter}` });
    const gus = await joinWith(room, gusToken);
    const gusSocket = await connect(gus);
    // The same invitation in a second tab goes too.
    const gusTab = await joinWith(room, gusToken);
    const gusTabSocket = await connect(gusTab);
    const noJti = await invite(room, 'guest', { name: 'Nat' });
    const nat = await joinWith(room, noJti);
    const natSocket = await connect(nat);
    try {
      await nextRosterMessage(hostSocket);
      await nextRosterMessage(hostSocket);
      await nextRosterMessage(hostSocket);
      const removed = await control(room, { peerId: host.peerId, token: host.token, action: 'remove', target: gus.peerId });
      assert.equal(removed.status, 204);
      let message: unknown;
      do message = await gusSocket.next('the removal notice');
      while ((message as { type: string }).type !== 'PEERCALL_REMOVED');
      assert.deepEqual(message, { type: 'PEERCALL_REMOVED' });
      assert.equal((await gusSocket.closed()).code, 4001);
      await gusTabSocket.closed();
      let members;
      do members = (await nextRosterMessage(hostSocket)).members;
      while (members.length !== 2);
      assert.deepEqual(members.map(({ name }) => name), ['Hal', 'Nat']);

      await expectRefusal(await postJoin(server.base, room, { token: gusToken }), 403, 'token-revoked');
      // Another token for the same invitation (jti) is refused too; a new invitation works.
      await expectRefusal(await postJoin(server.base, room, { token: await invite(room, 'guest', { jti: `gus-${counter}` }) }), 403, 'token-revoked');
      await joinWith(room, await invite(room, 'guest', { jti: `gus-again-${counter}` }));
      // The identity itself is dead.
      assert.equal((await expectRefusedSocket(server.port, identityQuery(gus))).status, 401);

      // Without a jti, the token itself is what is blocked.
      assert.equal((await control(room, { peerId: host.peerId, token: host.token, action: 'remove', target: nat.peerId })).status, 204);
      await natSocket.closed();
      await expectRefusal(await postJoin(server.base, room, { token: noJti }), 403, 'token-revoked');
      await delay(1100); // a different iat, so a different token
      await joinWith(room, await invite(room, 'guest', { name: 'Nat' }));
    } finally {
      await Promise.all([hostSocket.close(), gusSocket.close(), gusTabSocket.close(), natSocket.close()]);
    }
  });

  test('a host can ask someone to mute', async () => {
    const { room, host, hostSocket } = await hostedRoom();
    const gus = await joinWith(room, await invite(room, 'guest'));
    const gusSocket = await connect(gus);
    try {
      assert.equal((await control(room, { peerId: host.peerId, token: host.token, action: 'mute', target: gus.peerId })).status, 204);
      let message: unknown;
      do message = await gusSocket.next('the mute request');
      while ((message as { type: string }).type === 'PEERCALL_ROSTER');
      assert.deepEqual(message, { type: 'PEERCALL_MUTE_REQUEST' });
    } finally {
      await Promise.all([hostSocket.close(), gusSocket.close()]);
    }
  });

  test('a locked room refuses guests (423) but not hosts; hosts see the lock, guests do not', async () => {
    const { room, host, hostSocket } = await hostedRoom();
    const gus = await joinWith(room, await invite(room, 'guest'));
    const gusSocket = await connect(gus);
    try {
      await nextRosterMessage(hostSocket);
      assert.equal((await control(room, { peerId: host.peerId, token: host.token, action: 'lock' })).status, 204);
      const hostView = await nextRosterMessage(hostSocket);
      assert.equal(hostView.locked, true);
      assert.deepEqual(hostView.waiting, []);
      await expectRefusal(await postJoin(server.base, room, { token: await invite(room, 'guest') }), 423, 'room-locked');
      await joinWith(room, await invite(room, 'host'));
      const guestRosters = (await settledMessages(gusSocket)).filter((m) => (m as { type: string }).type === 'PEERCALL_ROSTER');
      assert.ok(guestRosters.every((m) => !('locked' in (m as RosterMessage).payload) && !('waiting' in (m as RosterMessage).payload)));
      assert.equal((await control(room, { peerId: host.peerId, token: host.token, action: 'unlock' })).status, 204);
      assert.equal((await nextRosterMessage(hostSocket)).locked, false);
      await joinWith(room, await invite(room, 'guest'));
    } finally {
      await Promise.all([hostSocket.close(), gusSocket.close()]);
    }
  });

  test('waiting room: guests knock, hosts see them and admit or decline', async () => {
    const { room, host, hostSocket } = await hostedRoom('tw');
    const knock = async (name: string) => {
      const response = await postJoin(server.base, room, { token: await invite(room, 'guest', { name }) });
      assert.equal(response.status, 202);
      const body = (await response.json()) as WaitingResponse;
      assert.equal(body.status, 'waiting');
      return body.ticket;
    };
    const poll = (ticket: string, forRoom = room) => fetch(`${server.base}/api/rooms/${forRoom}/waiting/${ticket}`);
    const sockets: PeerSocket[] = [];
    try {
      const gusTicket = await knock('Gus');
      const hostView = await nextRosterMessage(hostSocket);
      assert.equal(hostView.waiting?.length, 1);
      const [gusKnock] = hostView.waiting!;
      assert.equal(gusKnock!.name, 'Gus');
      assert.notEqual(gusKnock!.id, gusTicket, 'hosts never see the ticket');
      assert.doesNotMatch(JSON.stringify(hostView), new RegExp(gusTicket));

      // The poll waits for the host...
      const pending = poll(gusTicket);
      const early = await Promise.race([pending.then(() => 'answered'), delay(300).then(() => 'waiting')]);
      assert.equal(early, 'waiting');
      assert.equal((await control(room, { peerId: host.peerId, token: host.token, action: 'admit', target: gusKnock!.id })).status, 204);
      const admitted = await withTimeout(pending, 3000, 'the admission');
      assert.equal(admitted.status, 200);
      const gus = (await admitted.json()) as JoinResponse;
      assert.equal(gus.role, 'guest');
      assert.equal(gus.name, 'Gus');
      sockets.push(await connect(gus));
      // A ticket works once.
      await expectRefusal(await poll(gusTicket), 404, 'ticket-unknown');

      // Decided while nobody polled: the next poll answers at once.
      const ginaTicket = await knock('Gina');
      let view;
      do view = await nextRosterMessage(hostSocket);
      while (view.waiting?.length !== 1);
      assert.equal((await control(room, { peerId: host.peerId, token: host.token, action: 'decline', target: view.waiting[0]!.id })).status, 204);
      await expectRefusal(await poll(ginaTicket), 403, 'declined');

      await expectRefusal(await poll('no-such-ticket'), 404, 'ticket-unknown');
      const otherTicket = await knock('Olga');
      await expectRefusal(await poll(otherTicket, freshRoom('tw')), 404, 'ticket-unknown');
      // A host goes straight in.
      assert.equal((await joinWith(room, await invite(room, 'host'))).role, 'host');
    } finally {
      await Promise.all([hostSocket.close(), ...sockets.map((socket) => socket.close())]);
    }
  });
});

describe('GET /metrics', () => {
  test('reports counters and gauges as JSON, and no ids or tokens', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const socket = await connect(ann);
    try {
      const response = await fetch(`${server.base}/metrics`);
      assert.equal(response.status, 200);
      const text = await response.text();
      const body = JSON.parse(text) as { gauges: Record<string, number>; counters: Record<string, number> };
      assert.ok(body.gauges.sockets! >= 1);
      assert.equal(typeof body.gauges.pendingIdentities, 'number');
      assert.equal(typeof body.counters['http.refused.token-required'], 'number');
      assert.ok(!text.includes(ann.peerId) && !text.includes(ann.token) && !text.includes(room));
    } finally {
      await socket.close();
    }
  });
});
