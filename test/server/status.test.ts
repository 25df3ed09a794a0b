import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ParticipantStatus, RosterMessage } from '../../src/core/protocol.js';
import { connect, delay, join, joinPair, rosterWhere, startTestServer, type PeerSocket, type TestServer } from './helpers.js';

let counter = 0;
const freshRoom = () => `st-${process.pid}-${++counter}`;
const MUTED: ParticipantStatus = { audio: false, video: true, hand: false, recording: false };

function sendStatus(socket: PeerSocket, payload: unknown): void {
  socket.ws.send(JSON.stringify({ type: 'PEERCALL_STATUS', payload }));
}

const statusOf = (payload: RosterMessage['payload'], peerId: string) =>
  payload.members.find((member) => member.peerId === peerId)?.status;

/** Sends a marker status afterwards: once it arrives, nothing sent before it is still on its way. */
async function settle(socket: PeerSocket, watcher: PeerSocket, peerId: string, marker: ParticipantStatus) {
  sendStatus(socket, marker);
  return rosterWhere(watcher, (p) => JSON.stringify(statusOf(p, peerId)) === JSON.stringify(marker));
}

describe('participant status', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server.close();
  });

  test('a valid status reaches the others in the roster, with unknown keys dropped', async () => {
    const { ann, bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    sendStatus(bobSocket, { ...MUTED, hand: true, admin: true, name: 'Mallory' });
    const roster = await rosterWhere(annSocket, (p) => statusOf(p, bob.peerId) !== undefined);
    assert.deepEqual(statusOf(roster, bob.peerId), { audio: false, video: true, hand: true, recording: false });
    assert.equal(statusOf(roster, ann.peerId), undefined);
    assert.equal(roster.members.find((m) => m.peerId === bob.peerId)?.name, 'Bob');
    // Bob's own roster carries it too, and a latecomer sees it in their first roster.
    await rosterWhere(bobSocket, (p) => statusOf(p, bob.peerId)?.hand === true);
    const cy = await join(server.base, roster.room, 'Cy');
    assert.deepEqual(cy.roster.find((m) => m.peerId === bob.peerId)?.status, { ...MUTED, hand: true });
    await Promise.all([annSocket.close(), bobSocket.close()]);
  });

  test('an unchanged status pushes no roster', async () => {
    const { bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    sendStatus(bobSocket, MUTED);
    await rosterWhere(annSocket, (p) => statusOf(p, bob.peerId) !== undefined);
    const seen = annSocket.messages.length;
    sendStatus(bobSocket, MUTED);
    await delay(200);
    assert.equal(annSocket.messages.length, seen);
    await Promise.all([annSocket.close(), bobSocket.close()]);
  });

  test('malformed statuses are dropped without closing the socket', async () => {
    const { bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    const dropped = server.server.metrics.get('signaling.dropped.bad-status');
    const bad: unknown[] = [
      { ...MUTED, audio: 'false' },
      { ...MUTED, hand: 1 },
      { audio: true, video: true, hand: true },
      [true, true, true, true],
      null,
      'muted',
      { ...MUTED, padding: 'x'.repeat(1000) },
    ];
    for (const payload of bad) sendStatus(bobSocket, payload);
    bobSocket.ws.send(JSON.stringify({ type: 'PEERCALL_STATUS' }));
    const marker = { audio: true, video: false, hand: false, recording: true };
    const roster = await settle(bobSocket, annSocket, bob.peerId, marker);
    assert.deepEqual(statusOf(roster, bob.peerId), marker);
    // No roster carried any of the bad ones.
    const statuses = annSocket.messages
      .filter((m) => (m as RosterMessage).type === 'PEERCALL_ROSTER')
      .map((m) => statusOf((m as RosterMessage).payload, bob.peerId))
      .filter((s) => s !== undefined);
    assert.deepEqual(statuses, [marker]);
    assert.equal(server.server.metrics.get('signaling.dropped.bad-status'), dropped + bad.length + 1);
    // Never relayed to anyone as a message of its own.
    assert.ok(!annSocket.messages.some((m) => (m as { type: string }).type === 'PEERCALL_STATUS'));
    await Promise.all([annSocket.close(), bobSocket.close()]);
  });

  test('a frame over the signaling size limit closes the socket', async () => {
    const small = await startTestServer({ maxMessageBytes: 1024 });
    try {
      const { annSocket, bobSocket } = await joinPair(small, freshRoom());
      sendStatus(bobSocket, { ...MUTED, padding: 'x'.repeat(4096) });
      assert.equal((await bobSocket.closed()).code, 1009);
      await annSocket.close();
    } finally {
      await small.close();
    }
  });

  test('statuses beyond the rate are dropped', async () => {
    const { bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    const limited = server.server.metrics.get('signaling.dropped.status-rate');
    for (let i = 0; i < 30; i += 1) sendStatus(bobSocket, { ...MUTED, hand: i % 2 === 0 });
    await delay(300);
    const pushed = annSocket.messages.filter(
      (m) => (m as RosterMessage).type === 'PEERCALL_ROSTER' && statusOf((m as RosterMessage).payload, bob.peerId),
    ).length;
    assert.ok(pushed <= 9, `${pushed} rosters for 30 statuses`);
    assert.ok(server.server.metrics.get('signaling.dropped.status-rate') - limited >= 21);
    assert.equal(bobSocket.ws.readyState, bobSocket.ws.OPEN);
    await Promise.all([annSocket.close(), bobSocket.close()]);
  });

  test('someone who left is gone with their status, and comes back without it', async () => {
    const { room, bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    sendStatus(bobSocket, { ...MUTED, recording: true });
    await rosterWhere(annSocket, (p) => statusOf(p, bob.peerId)?.recording === true);
    bobSocket.ws.send(JSON.stringify({ type: 'PEERCALL_LEAVE' }));
    const roster = await rosterWhere(annSocket, (p) => p.members.length === 1);
    assert.ok(roster.members.every((m) => m.status === undefined));
    await bobSocket.closed();
    const again = await join(server.base, room, 'Bob');
    const bobAgain = await connect(again, server.port);
    const rejoined = await rosterWhere(annSocket, (p) => p.members.length === 2);
    assert.equal(statusOf(rejoined, again.peerId), undefined);
    await Promise.all([annSocket.close(), bobAgain.close()]);
  });

  test('a status from a socket that has left its room is ignored', async () => {
    const { bob, annSocket, bobSocket } = await joinPair(server, freshRoom());
    bobSocket.ws.send(JSON.stringify({ type: 'PEERCALL_LEAVE' }));
    sendStatus(bobSocket, { ...MUTED, hand: true });
    await rosterWhere(annSocket, (p) => p.members.length === 1);
    await bobSocket.closed();
    await delay(200);
    assert.ok(
      !annSocket.messages.some(
        (m) => (m as RosterMessage).type === 'PEERCALL_ROSTER' && statusOf((m as RosterMessage).payload, bob.peerId),
      ),
    );
    await annSocket.close();
  });
});
