import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { PresenceHub } from '../../server/presence.js';
import { EventStreamClient, PeerSocket, delay, identityQuery, join, startTestServer, type TestServer } from './helpers.js';

let shared: TestServer;
let counter = 0;
const freshRoom = () => `presence-${process.pid}-${++counter}`;
const presenceUrl = (server: TestServer, room: string) => `${server.base}/api/rooms/${room}/presence`;

before(async () => {
  shared = await startTestServer({ maxPresencePerIp: 3, maxPresence: 5 });
});
after(async () => {
  await shared.close();
});

describe('GET /api/rooms/:room/presence', () => {
  test('sends the count at once and on every change, and nothing else', async () => {
    const room = freshRoom();
    const stream = await EventStreamClient.open(presenceUrl(shared, room));
    const sockets: PeerSocket[] = [];
    try {
      assert.equal(stream.status, 200);
      assert.match(stream.response.headers['content-type'] ?? '', /^text\/event-stream/);
      assert.equal(stream.response.headers['cache-control'], 'no-store');
      assert.equal(await stream.next(), 'data: {"count":0}');

      const ann = await join(shared.base, room, 'Ann');
      const bob = await join(shared.base, room, 'Bob');
      // Joined but not connected people are not counted, and another room's changes are not sent.
      const other = await PeerSocket.open(shared.port, identityQuery(await join(shared.base, freshRoom(), 'Cid')));
      sockets.push(other);
      await delay(100);
      assert.deepEqual(stream.unread, []);

      sockets.push(await PeerSocket.open(shared.port, identityQuery(ann)));
      assert.equal(await stream.next(), 'data: {"count":1}');
      const bobSocket = await PeerSocket.open(shared.port, identityQuery(bob));
      assert.equal(await stream.next(), 'data: {"count":2}');
      await bobSocket.close();
      assert.equal(await stream.next(), 'data: {"count":1}');
      assert.ok(!JSON.stringify(stream.unread).includes(ann.peerId));
    } finally {
      stream.close();
      await Promise.all(sockets.map((socket) => socket.close()));
    }
  });

  test('a bad room name answers 400 JSON', async () => {
    const stream = await EventStreamClient.open(`${shared.base}/api/rooms/a%20b/presence`);
    assert.equal(stream.status, 400);
    assert.match(stream.response.headers['content-type'] ?? '', /^application\/json/);
    stream.close();
  });

  test('CORS reflects the origin when origins are open', async () => {
    const stream = await EventStreamClient.open(presenceUrl(shared, freshRoom()), { origin: 'https://site.example' });
    assert.equal(stream.response.headers['access-control-allow-origin'], 'https://site.example');
    stream.close();
  });

  test('streams are capped per address (429) and in total (503)', async () => {
    const capped = await startTestServer({ maxPresencePerIp: 2, maxPresence: 3 });
    const open: EventStreamClient[] = [];
    try {
      const room = freshRoom();
      for (let i = 0; i < 2; i += 1) open.push(await EventStreamClient.open(presenceUrl(capped, room)));
      const tooMany = await EventStreamClient.open(presenceUrl(capped, room));
      assert.equal(tooMany.status, 429);
      assert.equal(tooMany.response.headers['retry-after'], '30');
      tooMany.close();
      // A place frees up when a stream closes.
      open[0]!.close();
      await delay(100);
      open.push(await EventStreamClient.open(presenceUrl(capped, room)));
      assert.equal(open.at(-1)!.status, 200);
    } finally {
      open.forEach((stream) => stream.close());
      await capped.close();
    }

    const proxied = await startTestServer({ proxied: true, maxPresencePerIp: 1, maxPresence: 2 });
    const streams: EventStreamClient[] = [];
    try {
      const url = presenceUrl(proxied, freshRoom());
      streams.push(await EventStreamClient.open(url, { 'x-forwarded-for': '203.0.113.1' }));
      streams.push(await EventStreamClient.open(url, { 'x-forwarded-for': '203.0.113.2' }));
      assert.deepEqual(streams.map((stream) => stream.status), [200, 200]);
      const full = await EventStreamClient.open(url, { 'x-forwarded-for': '203.0.113.3' });
      assert.equal(full.status, 503);
      full.close();
    } finally {
      streams.forEach((stream) => stream.close());
      await proxied.close();
    }
  });

  test('close() ends open streams, so the server stops promptly', async () => {
    const server = await startTestServer();
    const stream = await EventStreamClient.open(presenceUrl(server, freshRoom()));
    await stream.next();
    await server.close();
    await stream.untilEnd(1000);
  });
});

describe('PresenceHub', () => {
  test('sends an update only when the count changed', async () => {
    let count = 1;
    const hub = new PresenceHub({ maxPerIp: 5, maxTotal: 5, count: () => count });
    const server = http.createServer((_req, res) => hub.open(res, 'r', 'ip'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stream = await EventStreamClient.open(`http://127.0.0.1:${port}/`);
    try {
      assert.equal(await stream.next(), 'data: {"count":1}');
      // A roster push that changes no count (a host locking the room, a knock) is not news.
      hub.update('r');
      hub.update('other');
      count = 2;
      hub.update('r');
      assert.equal(await stream.next(), 'data: {"count":2}');
      await delay(100);
      assert.deepEqual(stream.unread, []);
    } finally {
      stream.close();
      hub.close();
      server.close();
      server.closeAllConnections();
    }
  });

  test('sends a keep-alive comment on its heartbeat', async () => {
    const hub = new PresenceHub({ maxPerIp: 5, maxTotal: 5, count: () => 4, heartbeatMs: 50 });
    const server = http.createServer((_req, res) => hub.open(res, 'r', 'ip'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stream = await EventStreamClient.open(`http://127.0.0.1:${port}/`);
    try {
      assert.equal(await stream.next(), 'data: {"count":4}');
      assert.equal(await stream.next('a heartbeat', 1000), ': keep-alive');
      assert.equal(hub.size, 1);
      assert.equal(hub.refusal('ip'), undefined);
      stream.close();
      await delay(100);
      assert.equal(hub.size, 0);
    } finally {
      hub.close();
      server.close();
      server.closeAllConnections();
    }
  });
});
