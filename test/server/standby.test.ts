import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type {
  ErrorResponse,
  JoinAnswerMessage,
  JoinResponse,
  RosterMessage,
  StandbyResponse,
  WaitingResponse,
} from '../../src/core/protocol.js';
import { createJoinToken } from '../../server/index.js';
import { StandbyPool } from '../../server/standby.js';
import { PeerSocket, connect, delay, join, rosterWhere, startTestServer, type TestServer } from './helpers.js';

const SECRET = 'standby-suite-secret-of-32-bytes-at-least';
let server: TestServer;
let counter = 0;
/** Token rooms start with t-, token rooms with a waiting room with tw-; the rest are open. */
const freshRoom = (prefix = 'open') => `${prefix}-${process.pid}-${++counter}`;
const invite = (room: string, role: 'host' | 'guest', jti?: string) =>
  createJoinToken({ secret: SECRET, room, role, ttlSeconds: 600, ...(jti !== undefined && { jti }) });

before(async () => {
  server = await startTestServer({
    tokenRooms: ['t-*', 'tw-*'],
    waitingRooms: ['tw-*'],
    tokenSecret: SECRET,
    maxParticipants: 3,
  });
});
after(async () => {
  await server.close();
});

interface OpenStandby extends StandbyResponse {
  socket: PeerSocket;
}

function postStandby(base = server.base): Promise<Response> {
  return fetch(`${base}/api/standby`, { method: 'POST' });
}

/** Mints a standby and opens its socket, OPEN already read. */
async function openStandby(target = server): Promise<OpenStandby> {
  const response = await postStandby(target.base);
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(response.headers.get('cache-control'), 'no-store');
  const minted = (await response.json()) as StandbyResponse;
  const socket = await PeerSocket.open(target.port, { key: minted.peer.key, id: minted.peerId, token: minted.token });
  assert.deepEqual(await socket.next(), { type: 'OPEN' });
  return { ...minted, socket };
}

async function joinOver(standby: OpenStandby, payload: object): Promise<JoinAnswerMessage['payload']> {
  standby.socket.ws.send(JSON.stringify({ type: 'PEERCALL_JOIN', payload }));
  const message = (await standby.socket.next('the join answer')) as JoinAnswerMessage;
  assert.equal(message.type, 'PEERCALL_JOIN_ANSWER');
  return message.payload;
}

async function expectRefused(standby: OpenStandby, payload: object, status: number, code?: string): Promise<void> {
  const answer = await joinOver(standby, payload);
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.equal((answer.body as ErrorResponse).code, code);
  // One attempt per standby: the server closes it.
  await standby.socket.closed();
}

/** Waits a moment and checks that nothing more arrived. */
async function expectSilence(socket: PeerSocket, count: number, what: string): Promise<void> {
  await delay(150);
  assert.equal(socket.messages.length, count, `${what}: ${JSON.stringify(socket.messages.slice(count))}`);
}

describe('standby sockets', () => {
  test('a standby is in no roster and no count, and gets nothing but OPEN', async () => {
    const room = freshRoom();
    const ann = await connect(await join(server.base, room, 'Ann'), server.port);
    const standby = await openStandby();
    try {
      assert.deepEqual(server.server.rooms.member(standby.peerId), undefined);
      assert.equal(server.server.rooms.connectedCount(room), 1);
      await expectSilence(ann, ann.messages.length, 'the member heard of a standby');
      await expectSilence(standby.socket, 1, 'the standby heard something');
    } finally {
      await Promise.all([ann.close(), standby.socket.close()]);
    }
  });

  test('a standby cannot signal a member, and a member cannot signal a standby', async () => {
    const room = freshRoom();
    const joined = await join(server.base, room, 'Ann');
    const ann = await connect(joined, server.port);
    const standby = await openStandby();
    try {
      const seen = ann.messages.length;
      for (const type of ['OFFER', 'CANDIDATE', 'ANSWER']) {
        standby.socket.ws.send(JSON.stringify({ type, dst: joined.peerId, payload: { sdp: 'v=0' } }));
      }
      standby.socket.ws.send(JSON.stringify({ type: 'LEAVE', dst: joined.peerId }));
      ann.ws.send(JSON.stringify({ type: 'OFFER', dst: standby.peerId, payload: { sdp: 'v=0' } }));
      await expectSilence(ann, seen, 'a standby reached a member');
      await expectSilence(standby.socket, 1, 'a member reached a standby');
      // A member's JoinMessage means nothing: it is already in its room.
      ann.ws.send(JSON.stringify({ type: 'PEERCALL_JOIN', payload: { room: freshRoom() } }));
      await expectSilence(ann, seen, 'a member was answered a join');
    } finally {
      await Promise.all([ann.close(), standby.socket.close()]);
    }
  });

  test('a join over the socket makes the standby a member: answer, then roster, then signaling', async () => {
    const room = freshRoom();
    const joined = await join(server.base, room, 'Ann');
    const ann = await connect(joined, server.port);
    const standby = await openStandby();
    try {
      const answer = await joinOver(standby, { room, name: '  Bob\u202e ' });
      assert.equal(answer.status, 200);
      const body = answer.body as JoinResponse;
      assert.equal(body.peerId, standby.peerId);
      assert.equal(body.room, room);
      assert.equal(body.name, 'Bob');
      assert.equal(body.role, 'guest');
      assert.deepEqual(body.roster, [{ peerId: joined.peerId, name: 'Ann' }]);
      assert.equal(typeof body.resume, 'string');
      assert.notEqual(body.token, standby.token);
      const first = (await standby.socket.next('the first roster')) as RosterMessage;
      assert.equal(first.type, 'PEERCALL_ROSTER');
      assert.deepEqual(first.payload.members.map((m) => m.name), ['Ann', 'Bob']);
      await rosterWhere(ann, (p) => p.members.some((m) => m.peerId === standby.peerId));
      standby.socket.ws.send(JSON.stringify({ type: 'OFFER', dst: joined.peerId, payload: { sdp: 'v=0' } }));
      assert.deepEqual(await ann.next('the relayed offer'), { type: 'OFFER', src: standby.peerId, dst: joined.peerId, payload: { sdp: 'v=0' } });
      // Spent: a second join over the same socket is not answered.
      standby.socket.ws.send(JSON.stringify({ type: 'PEERCALL_JOIN', payload: { room: freshRoom() } }));
      await expectSilence(standby.socket, standby.socket.messages.length, 'a second join was answered');
      // The member's token works for host controls' authentication, the standby token no longer opens anything.
      assert.ok(server.server.rooms.authenticate(standby.peerId, body.token));
    } finally {
      await Promise.all([ann.close(), standby.socket.close()]);
    }
  });

  test('the resume ticket from a join over the socket gets the same peer id back', async () => {
    const room = freshRoom();
    const standby = await openStandby();
    const answer = await joinOver(standby, { room, name: 'Cy' });
    const body = answer.body as JoinResponse;
    await standby.socket.next('the first roster');
    standby.socket.ws.terminate();
    await standby.socket.closed();
    let resumed: Response | undefined;
    for (let attempt = 0; attempt < 20; attempt++) {
      resumed = await fetch(`${server.base}/api/rooms/${room}/join`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ resume: body.resume }),
      });
      if (resumed.status === 200) break;
      await delay(50);
    }
    assert.equal(resumed!.status, 200);
    assert.equal(((await resumed!.json()) as JoinResponse).peerId, standby.peerId);
  });

  test('refused exactly as POST join: token, wrong room, bad shapes', async () => {
    const room = freshRoom('t');
    await expectRefused(await openStandby(), { room }, 401, 'token-required');
    await expectRefused(await openStandby(), { room, token: 'not.a.jwt' }, 401, 'token-invalid');
    await expectRefused(await openStandby(), { room, token: await invite(freshRoom('t'), 'guest') }, 403, 'token-wrong-room');
    await expectRefused(await openStandby(), { room: 'no spaces allowed' }, 400);
    await expectRefused(await openStandby(), { room, name: 42 }, 400);
    await expectRefused(await openStandby(), { room, token: 7 }, 400);
    assert.equal(server.server.rooms.connectedCount(room), 0);
  });

  test('a locked room lets in hosts only; a full room nobody', async () => {
    const room = freshRoom('t');
    const host = await join(server.base, room, undefined).catch(() => undefined);
    assert.equal(host, undefined, 'a token room needs a token');
    const hostStandby = await openStandby();
    const hostAnswer = await joinOver(hostStandby, { room, token: await invite(room, 'host') });
    assert.equal(hostAnswer.status, 200);
    assert.equal((hostAnswer.body as JoinResponse).role, 'host');
    await hostStandby.socket.next('the host roster');
    const hostBody = hostAnswer.body as JoinResponse;
    try {
      const locked = await fetch(`${server.base}/api/rooms/${room}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ peerId: hostBody.peerId, token: hostBody.token, action: 'lock' }),
      });
      assert.equal(locked.status, 204);
      await expectRefused(await openStandby(), { room, token: await invite(room, 'guest') }, 423, 'room-locked');
      const second = await openStandby();
      assert.equal((await joinOver(second, { room, token: await invite(room, 'host') })).status, 200);
      const third = await openStandby();
      assert.equal((await joinOver(third, { room, token: await invite(room, 'host') })).status, 200);
      await expectRefused(await openStandby(), { room, token: await invite(room, 'host') }, 409, 'room-full');
      await Promise.all([second.socket.close(), third.socket.close()]);
    } finally {
      await hostStandby.socket.close();
    }
  });

  test('someone a host removed cannot come back through a standby', async () => {
    const room = freshRoom('t');
    const host = await fetch(`${server.base}/api/rooms/${room}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await invite(room, 'host') }),
    });
    const hostBody = (await host.json()) as JoinResponse;
    const hostSocket = await connect(hostBody, server.port);
    const token = await invite(room, 'guest', `guest-${counter}`);
    const guest = await openStandby();
    const answer = await joinOver(guest, { room, token });
    assert.equal(answer.status, 200);
    try {
      const removed = await fetch(`${server.base}/api/rooms/${room}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ peerId: hostBody.peerId, token: hostBody.token, action: 'remove', target: guest.peerId }),
      });
      assert.equal(removed.status, 204);
      await guest.socket.closed();
      await expectRefused(await openStandby(), { room, token }, 403, 'token-revoked');
    } finally {
      await hostSocket.close();
    }
  });

  test('a waiting room gets a knock, not a place: 202, the socket closes, hosts see the knock', async () => {
    const room = freshRoom('tw');
    const host = await fetch(`${server.base}/api/rooms/${room}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: await invite(room, 'host') }),
    });
    const hostSocket = await connect((await host.json()) as JoinResponse, server.port);
    const guest = await openStandby();
    try {
      const answer = await joinOver(guest, { room, name: 'Gus', token: await invite(room, 'guest') });
      assert.equal(answer.status, 202);
      assert.equal((answer.body as WaitingResponse).status, 'waiting');
      await guest.socket.closed();
      const knocked = await rosterWhere(hostSocket, (p) => (p.waiting?.length ?? 0) === 1);
      assert.equal(knocked.waiting![0]!.name, 'Gus');
      assert.equal(knocked.members.length, 1);
      assert.equal(server.server.rooms.member(guest.peerId), undefined);
    } finally {
      await hostSocket.close();
    }
  });

  test('joins over standby share the per-address join limit with POST join', async () => {
    const limited = await startTestServer({ joinRate: 1 });
    try {
      const standby = await openStandby(limited);
      await join(limited.base, freshRoom(), 'Ann');
      await expectRefused(standby, { room: freshRoom() }, 429, 'rate-limited');
    } finally {
      await limited.close();
    }
  });

  test('a standby gets the ICE servers of a join only when they are public: STUN, no credentials', async () => {
    const stun = [{ urls: 'stun:stun.example.com:3478' }, { urls: ['stun:a.example.com', 'STUN:b.example.com:19302'] }];
    const setups: [string, Parameters<typeof startTestServer>[0], unknown][] = [
      ['none configured', {}, []],
      ['STUN only', { iceServers: stun }, stun],
      ['minted TURN credentials', { iceServers: stun, turnSecret: 'coturn-shared-secret-1234', turnUrls: ['turn:turn.example.com:3478'] }, undefined],
      ['the operator’s own TURN credentials', { iceServers: [...stun, { urls: 'turn:turn.example.com', username: 'u', credential: 'c' }] }, undefined],
      ['a TURN URL without credentials', { iceServers: [{ urls: ['stun:stun.example.com', 'turn:turn.example.com'] }] }, undefined],
    ];
    for (const [what, overrides, expected] of setups) {
      const configured = await startTestServer(overrides);
      try {
        const standby = await openStandby(configured);
        assert.deepEqual(standby.iceServers, expected, what);
        if (expected) {
          // The lobby prepares its offer with them: a join must get the very same.
          const answer = await joinOver(standby, { room: freshRoom() });
          assert.deepEqual((answer.body as JoinResponse).iceServers, expected, what);
        }
        await standby.socket.close();
      } finally {
        await configured.close();
      }
    }
  });

  test('standbys per address are capped below its sockets', async () => {
    const capped = await startTestServer({ maxSocketsPerIp: 4 });
    try {
      const first = await openStandby(capped);
      const second = await openStandby(capped);
      const refused = await postStandby(capped.base);
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as ErrorResponse).code, 'rate-limited');
      // A closed standby gives its place back.
      await first.socket.close();
      await delay(50);
      const third = await openStandby(capped);
      await Promise.all([second.socket.close(), third.socket.close()]);
    } finally {
      await capped.close();
    }
  });
});

describe('StandbyPool', () => {
  const clock = { now: 0 };
  const pool = () => new StandbyPool({ maxPerIp: 2, maxTotal: 3, connectTtlMs: 1000, idleTtlMs: 5000, now: () => clock.now });

  test('caps per address and in total', () => {
    clock.now = 0;
    const standbys = pool();
    assert.equal(typeof standbys.mint('a'), 'object');
    assert.equal(typeof standbys.mint('a'), 'object');
    assert.equal(standbys.mint('a'), 'per-ip');
    assert.equal(typeof standbys.mint('b'), 'object');
    assert.equal(standbys.mint('c'), 'capacity');
    assert.equal(standbys.size, 3);
  });

  test('a minted standby must connect in time, with exactly its token; a connected one expires unless kept', () => {
    clock.now = 0;
    const standbys = pool();
    const late = standbys.mint('a') as { peerId: string; token: string };
    const kept = standbys.mint('a') as { peerId: string; token: string };
    assert.equal(standbys.verify(kept.peerId, late.token), false);
    assert.equal(standbys.verify(kept.peerId, kept.token), true);
    assert.ok(standbys.connect(kept.peerId));
    assert.equal(standbys.verify(kept.peerId, kept.token), false, 'an identity opens one socket');
    clock.now = 1000;
    assert.equal(standbys.verify(late.peerId, late.token), false);
    assert.deepEqual(standbys.sweep(), []);
    assert.equal(standbys.size, 1);
    clock.now = 4000;
    standbys.keep(kept.peerId);
    clock.now = 8999;
    assert.deepEqual(standbys.sweep(), []);
    clock.now = 9000;
    assert.deepEqual(standbys.sweep(), [kept.peerId]);
    assert.equal(standbys.size, 0);
    assert.equal(typeof standbys.mint('a'), 'object', 'an expired standby gives its place back');
  });

  test('a claim spends the standby: once, and only when connected', () => {
    clock.now = 0;
    const standbys = pool();
    const minted = standbys.mint('a') as { peerId: string; token: string };
    assert.equal(standbys.claim(minted.peerId), false, 'not connected yet');
    standbys.connect(minted.peerId);
    assert.equal(standbys.claim(minted.peerId), true);
    assert.equal(standbys.claim(minted.peerId), false);
    assert.equal(standbys.size, 0);
  });
});
