import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ErrorResponse, RosterMessage } from '../../src/core/protocol.js';
import type { MetricsSnapshot } from '../../server/metrics.js';
import { connect, delay, expectRefusedSocket, identityQuery, join, joinPair, rosterWhere, startTestServer, withTimeout, type TestServer } from './helpers.js';

let counter = 0;
const freshRoom = () => `d-${process.pid}-${++counter}`;

describe('departures', () => {
  let server: TestServer;
  before(async () => {
    // Below the CLI's minimum of 4 s, so that the sweeper test is quick.
    server = await startTestServer({ aliveTimeoutMs: 1000 });
  });
  after(async () => {
    await server.close();
  });

  test('a LeaveMessage takes the member out at once as `left`, is never relayed, and closes their socket', async () => {
    const { ann, bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    const left = server.server.metrics.get('signaling.departed.left');
    const sentAt = Date.now();
    bobSocket.ws.send(JSON.stringify({ type: 'PEERCALL_LEAVE' }));
    const roster = await rosterWhere(annSocket, (p) => p.members.length === 1);
    assert.ok(Date.now() - sentAt < 500);
    assert.deepEqual(roster.members, [{ peerId: ann.peerId, name: 'Ann' }]);
    assert.deepEqual(roster.departed, [{ peerId: bob.peerId, reason: 'left' }]);
    assert.equal((await bobSocket.closed()).code, 1000);
    await delay(200);
    assert.ok(!annSocket.messages.some((m) => (m as { type: string }).type === 'PEERCALL_LEAVE'));
    // Only one roster for the departure: the socket's close that follows changes nothing.
    assert.equal(annSocket.messages.filter((m) => (m as RosterMessage).payload?.departed !== undefined).length, 1);
    assert.equal(server.server.metrics.get('signaling.departed.left'), left + 1);
    await annSocket.close();
  });

  test('a socket that closes without a LeaveMessage is `lost`', async () => {
    const { bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    await bobSocket.close();
    const roster = await rosterWhere(annSocket, (p) => p.members.length === 1);
    assert.deepEqual(roster.departed, [{ peerId: bob.peerId, reason: 'lost' }]);
    await annSocket.close();
  });

  test('a silent socket is dropped as `lost` after the alive timeout, and cut off at once', async () => {
    const room = freshRoom();
    const ann = await join(server.base, room, 'Ann');
    const bob = await join(server.base, room, 'Bob');
    const annSocket = await connect(ann, server.port);
    const bobSocket = await connect(bob, server.port);
    // Ann keeps beating; Bob is silent and reads nothing, like a vanished browser whose TCP
    // connection lingers: it will never answer a closing handshake.
    const beat = setInterval(() => annSocket.ws.send('{"type":"HEARTBEAT"}'), 200);
    (bobSocket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    try {
      const started = Date.now();
      const roster = await rosterWhere(annSocket, (p) => p.members.length === 1 && p.departed !== undefined);
      assert.deepEqual(roster.departed, [{ peerId: bob.peerId, reason: 'lost' }]);
      assert.ok(Date.now() - started < 2500, `${Date.now() - started} ms`);
      assert.equal(server.server.rooms.roster(room).length, 1);
      // Cut off at once, not kept 30 s waiting for the closing handshake.
      const deadline = Date.now() + 500;
      while (server.server.socketCount > 1 && Date.now() < deadline) await delay(20);
      assert.equal(server.server.socketCount, 1);
    } finally {
      clearInterval(beat);
      await annSocket.close();
    }
  });

  test('a LeaveMessage counts only from the member’s own socket, and is rate limited like any message', async () => {
    const { annSocket, bobSocket } = await joinPair(server, freshRoom());
    // A LeaveMessage with a destination is still ours, never relayed to it.
    bobSocket.ws.send(JSON.stringify({ type: 'PEERCALL_LEAVE', dst: 'someone' }));
    await bobSocket.closed();
    await rosterWhere(annSocket, (p) => p.members.length === 1);
    await annSocket.close();
  });
});

describe('graceful shutdown', () => {
  test('refuses joins, sockets and health checks, tells every socket to reconnect, closes with 1012', async () => {
    const server = await startTestServer();
    const { room, annSocket, bobSocket } = await joinPair(server, freshRoom());
    // A third socket that reads nothing: it never answers the closing handshake.
    const cat = await join(server.base, room, 'Cat');
    const stuck = await connect(cat, server.port);
    (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const late = await join(server.base, room, 'Dan');

    const started = Date.now();
    const shutdown = server.server.shutdown(1500);
    try {
      const health = await fetch(`${server.base}/healthz`);
      assert.equal(health.status, 503);
      assert.deepEqual(await health.json(), { ok: false, draining: true });
      const joining = await fetch(`${server.base}/api/rooms/${room}/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(joining.status, 503);
      assert.equal(((await joining.json()) as ErrorResponse).code, 'server-busy');
      assert.equal(joining.headers.get('retry-after'), '2');
      assert.equal((await expectRefusedSocket(server.port, identityQuery(late))).status, 503);

      for (const socket of [annSocket, bobSocket]) {
        const closed = await socket.closed(3000);
        assert.equal(closed.code, 1012);
        const last = socket.messages.at(-1);
        assert.deepEqual(last, { type: 'PEERCALL_RECONNECT' });
        // No roster of people dropping out on the way down.
        assert.ok(!socket.messages.some((m) => (m as RosterMessage).payload?.departed !== undefined));
      }
      await withTimeout(shutdown, 3000, 'shutdown()');
      const took = Date.now() - started;
      assert.ok(took >= 1400 && took < 2500, `shutdown took ${took} ms`);
      // The stuck one was cut off at the end of the grace.
      assert.equal(server.server.socketCount, 0);
      (stuck.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      await stuck.closed();
      assert.deepEqual(stuck.messages.at(-1), { type: 'PEERCALL_RECONNECT' });
      await assert.rejects(fetch(`${server.base}/healthz`));
    } finally {
      await server.close();
    }
  });

  test('is quick when every socket closes at once', async () => {
    const server = await startTestServer();
    const { annSocket } = await joinPair(server, freshRoom());
    const started = Date.now();
    await withTimeout(server.server.shutdown(), 3000, 'shutdown()');
    assert.ok(Date.now() - started < 1000);
    assert.equal((await annSocket.closed()).code, 1012);
    await server.close();
  });
});

describe('/metrics', () => {
  test('reports memory and event-loop delay', async () => {
    const server = await startTestServer();
    try {
      const snapshot = (await (await fetch(`${server.base}/metrics`)).json()) as MetricsSnapshot;
      const stats = snapshot.process!;
      assert.ok(stats.rssBytes > 10 * 1024 * 1024, String(stats.rssBytes));
      assert.ok(stats.heapUsedBytes > 0);
      const delay = stats.eventLoopDelayMs;
      assert.equal(delay.windowSeconds, 10);
      for (const value of [delay.p50, delay.p99, delay.max, delay.sinceStart.p99, delay.sinceStart.max]) {
        assert.ok(Number.isFinite(value) && value >= 0 && value < 10_000, JSON.stringify(delay));
      }
      assert.equal(snapshot.gauges.sockets, 0);
    } finally {
      await server.close();
    }
  });

  test('a blocked event loop shows in the delay', async () => {
    const server = await startTestServer();
    try {
      await delay(50);
      const until = Date.now() + 300;
      while (Date.now() < until);
      await delay(50);
      const snapshot = (await (await fetch(`${server.base}/metrics`)).json()) as MetricsSnapshot;
      assert.ok(snapshot.process!.eventLoopDelayMs.max >= 250, JSON.stringify(snapshot.process));
      assert.ok(snapshot.process!.eventLoopDelayMs.sinceStart.max >= 250);
    } finally {
      await server.close();
    }
  });
});
