import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { ErrorResponse, JoinResponse } from '../../src/core/protocol.js';
import { createJoinToken } from '../../server/index.js';
import { ResumeTickets, RESUME_TTL_MS } from '../../server/resume-tickets.js';
import type { Member } from '../../server/rooms.js';
import {
  connect,
  rosterWhere,
  expectRefusedSocket,
  identityQuery,
  join,
  startTestServer,
  type TestServer,
} from './helpers.js';

const SECRET = 'resume-suite-server-secret-of-32-bytes!';
const TOKEN_SECRET = 'resume-suite-token-secret-of-32-bytes!!';
let counter = 0;
const freshRoom = (prefix = 'r') => `${prefix}-${process.pid}-${++counter}`;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'peercall-state-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function member(overrides: Partial<Member> = {}): Member {
  return {
    peerId: '0f8c7a4e-2b7d-4c55-9b0e-3f1a2b3c4d5e',
    token: 'x'.repeat(64),
    room: 'lobby',
    name: 'Ann',
    mintedAt: 0,
    connected: true,
    ...overrides,
  };
}

describe('ResumeTickets', () => {
  test('a ticket carries room, peer id, name, role and invitation, for 6 h', () => {
    const clock = { now: 1_000_000 };
    const tickets = new ResumeTickets(SECRET, undefined, () => clock.now);
    const ticket = tickets.issue(member({ role: 'host', invitation: { revocationKey: 'jti:abc', expiresAt: 5_000 } }));
    assert.match(ticket, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(tickets.verify(ticket), {
      room: 'lobby',
      peerId: '0f8c7a4e-2b7d-4c55-9b0e-3f1a2b3c4d5e',
      name: 'Ann',
      role: 'host',
      revocationKey: 'jti:abc',
      invitationExpiresAt: 5_000,
      expiresAt: 1_000_000 + RESUME_TTL_MS,
    });
    const open = tickets.verify(tickets.issue(member()))!;
    assert.equal(open.role, undefined);
    assert.equal(open.revocationKey, undefined);
    clock.now += RESUME_TTL_MS - 1;
    assert.ok(tickets.verify(ticket));
    clock.now += 1;
    assert.equal(tickets.verify(ticket), undefined, 'expired');
  });

  test('refuses altered, foreign and malformed tickets', () => {
    const tickets = new ResumeTickets(SECRET);
    const ticket = tickets.issue(member());
    const [body, mac] = ticket.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const forgedBody = Buffer.from(JSON.stringify({ ...payload, r: 'other' })).toString('base64url');
    const flipped = mac.slice(0, -2) + (mac.at(-2) === 'A' ? 'B' : 'A') + mac.at(-1);
    const bad = [
      `${forgedBody}.${mac}`,
      `${body}.${flipped}`,
      new ResumeTickets(`${SECRET}-other`).issue(member()),
      `${body}.${mac}.x`,
      `${body}`,
      '',
      '.',
      `${body}.${mac}=`,
      `${'A'.repeat(3000)}.${mac}`,
      `${body}!.${mac}`,
    ];
    for (const candidate of bad) assert.equal(tickets.verify(candidate), undefined, candidate.slice(0, 80));
    assert.ok(tickets.verify(ticket));
  });
});

function postJoin(base: string, room: string, body: object) {
  return fetch(`${base}/api/rooms/${room}/join`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function resume(base: string, room: string, ticket: string): Promise<JoinResponse> {
  const response = await postJoin(base, room, { resume: ticket });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as JoinResponse;
}

async function expectRefusal(response: Response, status: number, code: string): Promise<void> {
  const body = (await response.json()) as ErrorResponse;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.equal(body.code, code);
}

describe('resume', () => {
  let server: TestServer;

  test('a dropped member gets the same peer id back with a fresh token, and the room sees them return', async () => {
    server = await startTestServer({ tokenRooms: ['t-*'], tokenSecret: TOKEN_SECRET });
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const bob = await join(server.base, room, 'Bob');
    assert.equal(typeof ann.resume, 'string');
    const annSocket = await connect(ann, server.port);
    const bobSocket = await connect(bob, server.port);
    try {
      await rosterWhere(annSocket, (p) => p.members.length === 2);
      // A dropped socket, without a LeaveMessage.
      bobSocket.ws.terminate();
      const gone = await rosterWhere(annSocket, (p) => p.members.length === 1);
      assert.deepEqual(gone.departed, [{ peerId: bob.peerId, reason: 'lost' }]);

      // The name in the request is ignored: the ticket's is the participant's.
      const response = await postJoin(server.base, room, { resume: bob.resume, name: 'Mallory' });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const back = (await response.json()) as JoinResponse;
      assert.equal(back.peerId, bob.peerId);
      assert.notEqual(back.token, bob.token);
      assert.equal(back.name, 'Bob');
      assert.equal(back.room, room);
      assert.equal(back.role, 'guest');
      assert.deepEqual(back.roster, [{ peerId: ann.peerId, name: 'Ann' }]);
      assert.notEqual(back.resume, bob.resume);
      // The old token is dead; the new one opens the socket.
      assert.equal((await expectRefusedSocket(server.port, identityQuery(bob))).status, 401);
      const again = await connect(back, server.port);
      const returned = await rosterWhere(annSocket, (p) => p.members.length === 2);
      assert.deepEqual(returned.members.map((m) => m.peerId), [ann.peerId, bob.peerId]);
      assert.equal(returned.departed, undefined);
      assert.ok(server.server.metrics.get('join.resumed') >= 1);
      await again.close();
    } finally {
      await Promise.all([annSocket.close(), bobSocket.close()]);
    }
  });

  test('is refused while the peer id is connected, for another room, and for anything not a ticket', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const annSocket = await connect(ann, server.port);
    try {
      const live = await postJoin(server.base, room, { resume: ann.resume });
      assert.equal(live.headers.get('retry-after'), '6');
      await expectRefusal(live, 401, 'resume-invalid');
      await expectRefusal(await postJoin(server.base, freshRoom(), { resume: ann.resume }), 401, 'resume-invalid');
      await expectRefusal(await postJoin(server.base, room, { resume: `${ann.resume.slice(0, -1)}x` }), 401, 'resume-invalid');
      await expectRefusal(await postJoin(server.base, room, { resume: '' }), 401, 'resume-invalid');
      const notString = await postJoin(server.base, room, { resume: 42 });
      assert.equal(notString.status, 400);
      assert.equal(server.server.rooms.roster(room).length, 1);
    } finally {
      await annSocket.close();
    }
  });

  test('a second resume before the socket opened replaces the first identity', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const first = await resume(server.base, room, ann.resume);
    const second = await resume(server.base, room, first.resume);
    assert.equal(second.peerId, ann.peerId);
    assert.equal((await expectRefusedSocket(server.port, identityQuery(first))).status, 401);
    const socket = await connect(second, server.port);
    await socket.close();
  });

  test('a token room needs no token to resume, and a host removal kills the ticket', async () => {
    const room = freshRoom('t');
    const invite = (role: 'host' | 'guest', jti: string) => createJoinToken({ secret: TOKEN_SECRET, room, role, ttlSeconds: 60, jti });
    const hostJoin = await postJoin(server.base, room, { token: await invite('host', `h${counter}`) });
    const host = (await hostJoin.json()) as JoinResponse;
    const guest = (await (await postJoin(server.base, room, { token: await invite('guest', `g${counter}`) })).json()) as JoinResponse;
    const hostSocket = await connect(host, server.port);
    let guestSocket = await connect(guest, server.port);
    try {
      guestSocket.ws.terminate();
      await rosterWhere(hostSocket, (p) => p.members.length === 1);
      // A lock keeps out newcomers, not a member coming back.
      const lock = await fetch(`${server.base}/api/rooms/${room}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ peerId: host.peerId, token: host.token, action: 'lock' }),
      });
      assert.equal(lock.status, 204);
      const back = await resume(server.base, room, guest.resume);
      assert.equal(back.role, 'guest');
      guestSocket = await connect(back, server.port);
      await rosterWhere(hostSocket, (p) => p.members.length === 2);

      const removal = await fetch(`${server.base}/api/rooms/${room}/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ peerId: host.peerId, token: host.token, action: 'remove', target: guest.peerId }),
      });
      assert.equal(removal.status, 204);
      const afterRemoval = await rosterWhere(hostSocket, (p) => p.members.length === 1);
      assert.deepEqual(afterRemoval.departed, [{ peerId: guest.peerId, reason: 'left' }]);
      await guestSocket.closed();
      await expectRefusal(await postJoin(server.base, room, { resume: back.resume }), 401, 'resume-invalid');
      await expectRefusal(await postJoin(server.base, room, { resume: guest.resume }), 401, 'resume-invalid');
    } finally {
      await Promise.all([hostSocket.close(), guestSocket.close()]);
    }
  });

  test('a member whose place was taken meanwhile gets room-full', async () => {
    const small = await startTestServer({ maxParticipants: 2 });
    try {
      const room = freshRoom();
      const ann = await join(small.base, room, 'Ann');
      const bob = await join(small.base, room, 'Bob');
      const annSocket = await connect(ann, small.port);
      const bobSocket = await connect(bob, small.port);
      bobSocket.ws.terminate();
      await rosterWhere(annSocket, (p) => p.members.length === 1);
      await join(small.base, room, 'Cat');
      await expectRefusal(await postJoin(small.base, room, { resume: bob.resume }), 409, 'room-full');
      await annSocket.close();
    } finally {
      await small.close();
    }
  });

  test('the join rate limit applies to resumes', async () => {
    const limited = await startTestServer({ joinRate: 2 });
    try {
      const room = freshRoom();
      const ann = await join(limited.base, room, 'Ann');
      await resume(limited.base, room, ann.resume);
      const third = await postJoin(limited.base, room, { resume: ann.resume });
      assert.equal(third.status, 429);
      assert.ok(Number(third.headers.get('retry-after')) >= 1);
    } finally {
      await limited.close();
    }
  });

  test('tickets survive a restart on the same state dir, and only there', async () => {
    const stateDir = tempDir();
    const first = await startTestServer({ stateDir, stateDirSource: 'option' });
    const room = freshRoom();
    const ann = await join(first.base, room, 'Ann');
    const socket = await connect(ann, first.port);
    assert.equal(first.server.secretSource, 'generated');
    // As after kill -9: the socket never said goodbye, the server is simply gone.
    await first.close();
    await socket.closed();

    const second = await startTestServer({ stateDir, stateDirSource: 'option' });
    const elsewhere = await startTestServer({ stateDir: tempDir(), stateDirSource: 'option' });
    const tokenOnly = await startTestServer({ stateDir, stateDirSource: 'option', defaultAccess: 'token', tokenSecret: TOKEN_SECRET });
    try {
      assert.equal(second.server.secretSource, 'state-dir');
      const back = await resume(second.base, room, ann.resume);
      assert.equal(back.peerId, ann.peerId);
      assert.deepEqual(back.roster, []);
      await (await connect(back, second.port)).close();
      await expectRefusal(await postJoin(elsewhere.base, room, { resume: ann.resume }), 401, 'resume-invalid');
      // The room needs a token now: an open-room ticket does not stand in for one.
      await expectRefusal(await postJoin(tokenOnly.base, room, { resume: ann.resume }), 401, 'resume-invalid');
    } finally {
      await Promise.all([second.close(), elsewhere.close(), tokenOnly.close()]);
    }
  });

  test('a host removal survives a restart on the same state dir', async () => {
    const stateDir = tempDir();
    const options = { stateDir, stateDirSource: 'option' as const, tokenRooms: ['t-*'], tokenSecret: TOKEN_SECRET };
    const first = await startTestServer(options);
    const room = freshRoom('t');
    const guestToken = await createJoinToken({ secret: TOKEN_SECRET, room, role: 'guest', ttlSeconds: 60 });
    const host = (await (await postJoin(first.base, room, { token: await createJoinToken({ secret: TOKEN_SECRET, room, role: 'host', ttlSeconds: 60 }) })).json()) as JoinResponse;
    const guest = (await (await postJoin(first.base, room, { token: guestToken })).json()) as JoinResponse;
    const hostSocket = await connect(host, first.port);
    const guestSocket = await connect(guest, first.port);
    const removal = await fetch(`${first.base}/api/rooms/${room}/control`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ peerId: host.peerId, token: host.token, action: 'remove', target: guest.peerId }),
    });
    assert.equal(removal.status, 204);
    await guestSocket.closed();
    await first.close();
    await hostSocket.closed();

    const second = await startTestServer(options);
    try {
      await expectRefusal(await postJoin(second.base, room, { resume: guest.resume }), 401, 'resume-invalid');
      await expectRefusal(await postJoin(second.base, room, { token: guestToken }), 403, 'token-revoked');
      assert.equal((await resume(second.base, room, host.resume)).peerId, host.peerId);
    } finally {
      await second.close();
    }
  });

  after(async () => {
    await server?.close();
  });
});
