import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RoomRegistry, type Member } from '../../server/rooms.js';

const TTL = 30_000;

function registry(maxParticipants = 3) {
  const clock = { now: 1_000_000 };
  const rooms = new RoomRegistry({ maxParticipants, identityTtlMs: TTL, now: () => clock.now });
  return { rooms, clock };
}

function minted(rooms: RoomRegistry, room: string, name = 'Ann'): Member {
  const result = rooms.mint(room, name);
  assert.equal(result.kind, 'minted');
  return (result as { member: Member }).member;
}

describe('RoomRegistry', () => {
  test('mints a pending identity with a UUID and a 32-byte hex token', () => {
    const { rooms } = registry();
    const member = minted(rooms, 'lobby', 'Ann');
    assert.match(member.peerId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(member.token, /^[0-9a-f]{64}$/);
    assert.equal(member.room, 'lobby');
    assert.equal(member.name, 'Ann');
    assert.equal(member.connected, false);
    assert.notEqual(minted(rooms, 'lobby').token, member.token);
    // Pending members are not in the roster until their socket connects.
    assert.deepEqual(rooms.roster('lobby'), []);
  });

  test('verifies only the exact token of a pending identity', () => {
    const { rooms } = registry();
    const member = minted(rooms, 'lobby');
    const other = minted(rooms, 'lobby');
    assert.equal(rooms.verify(member.peerId, member.token), true);
    assert.equal(rooms.verify(member.peerId, other.token), false);
    assert.equal(rooms.verify(member.peerId, member.token.slice(0, -1)), false);
    assert.equal(rooms.verify(member.peerId, `${member.token}0`), false);
    assert.equal(rooms.verify(member.peerId, member.token.toUpperCase()), false);
    assert.equal(rooms.verify(member.peerId, ''), false);
    assert.equal(rooms.verify('no-such-id', member.token), false);
    // A failed attempt does not burn the identity.
    assert.equal(rooms.verify(member.peerId, member.token), true);
  });

  test('a connected identity cannot be verified again, and a disconnected one is gone', () => {
    const { rooms } = registry();
    const member = minted(rooms, 'lobby');
    assert.equal(rooms.connect(member.peerId), 'lobby');
    assert.equal(rooms.verify(member.peerId, member.token), false);
    assert.equal(rooms.disconnect(member.peerId), 'lobby');
    assert.equal(rooms.verify(member.peerId, member.token), false);
    assert.equal(rooms.connect(member.peerId), undefined);
    assert.equal(rooms.disconnect(member.peerId), undefined);
  });

  test('connect and disconnect of unknown ids answer undefined', () => {
    const { rooms } = registry();
    assert.equal(rooms.connect('ghost'), undefined);
    assert.equal(rooms.disconnect('ghost'), undefined);
  });

  test('lists connected members in the order they connected, per room', () => {
    const { rooms } = registry();
    const ann = minted(rooms, 'lobby', 'Ann');
    const bob = minted(rooms, 'lobby', 'Bob');
    const cid = minted(rooms, 'other', 'Cid');
    rooms.connect(bob.peerId);
    rooms.connect(ann.peerId);
    rooms.connect(cid.peerId);
    assert.deepEqual(rooms.roster('lobby'), [
      { peerId: bob.peerId, name: 'Bob' },
      { peerId: ann.peerId, name: 'Ann' },
    ]);
    assert.deepEqual(rooms.roster('other'), [{ peerId: cid.peerId, name: 'Cid' }]);
    rooms.disconnect(bob.peerId);
    assert.deepEqual(rooms.roster('lobby'), [{ peerId: ann.peerId, name: 'Ann' }]);
    assert.deepEqual(rooms.roster('nowhere'), []);
  });

  test('connect is idempotent for an already connected member', () => {
    const { rooms } = registry();
    const ann = minted(rooms, 'lobby');
    rooms.connect(ann.peerId);
    assert.equal(rooms.connect(ann.peerId), 'lobby');
    assert.equal(rooms.roster('lobby').length, 1);
  });

  test('refuses a full room, counting connected and pending members', () => {
    const { rooms } = registry(2);
    const ann = minted(rooms, 'lobby');
    rooms.connect(ann.peerId);
    const bob = minted(rooms, 'lobby');
    assert.deepEqual(rooms.mint('lobby', 'Cid'), { kind: 'room-full', maxParticipants: 2 });
    // Other rooms are unaffected.
    assert.equal(rooms.mint('other', 'Cid').kind, 'minted');
    rooms.disconnect(bob.peerId);
    assert.equal(rooms.mint('lobby', 'Cid').kind, 'minted');
  });

  test('an identity expires when its socket does not come within the TTL', () => {
    const { rooms, clock } = registry();
    const member = minted(rooms, 'lobby');
    clock.now += TTL - 1;
    assert.equal(rooms.verify(member.peerId, member.token), true);
    clock.now += 1;
    assert.equal(rooms.verify(member.peerId, member.token), false);
    assert.equal(rooms.connect(member.peerId), undefined);
  });

  test('expired identities free their place even before a sweep', () => {
    const { rooms, clock } = registry(2);
    minted(rooms, 'lobby');
    minted(rooms, 'lobby');
    assert.equal(rooms.mint('lobby', 'Cid').kind, 'room-full');
    clock.now += TTL;
    assert.equal(rooms.mint('lobby', 'Cid').kind, 'minted');
  });

  test('sweep forgets expired pending identities but keeps connected members', () => {
    const { rooms, clock } = registry();
    const connected = minted(rooms, 'lobby', 'Ann');
    rooms.connect(connected.peerId);
    const stale = minted(rooms, 'lobby', 'Bob');
    clock.now += TTL;
    const fresh = minted(rooms, 'lobby', 'Cid');
    rooms.sweep();
    assert.equal(rooms.disconnect(stale.peerId), undefined);
    assert.equal(rooms.verify(fresh.peerId, fresh.token), true);
    assert.deepEqual(rooms.roster('lobby'), [{ peerId: connected.peerId, name: 'Ann' }]);
  });
});

describe('RoomRegistry: grants, locks and counts', () => {
  const invitation = { revocationKey: 'jti:inv-1', expiresAt: 2_000_000 };

  test('roster carries the role only where a token granted one', () => {
    const { rooms } = registry();
    const host = minted(rooms, 'lobby', 'Hal');
    const guest = rooms.mint('lobby', 'Gus', { role: 'guest', invitation });
    const open = minted(rooms, 'open', 'Ann');
    rooms.connect(host.peerId);
    rooms.connect(open.peerId);
    assert.equal(guest.kind, 'minted');
    const hostMember = rooms.mint('lobby', 'Hostess', { role: 'host', invitation });
    assert.equal(hostMember.kind, 'minted');
    rooms.connect((hostMember as { member: Member }).member.peerId);
    assert.deepEqual(rooms.roster('lobby').map(({ name, role }) => ({ name, role })), [
      { name: 'Hal', role: undefined },
      { name: 'Hostess', role: 'host' },
    ]);
    assert.deepEqual(Object.keys(rooms.roster('open')[0]!), ['peerId', 'name']);
  });

  test('authenticate accepts only a connected member with its exact token', () => {
    const { rooms } = registry();
    const ann = minted(rooms, 'lobby');
    assert.equal(rooms.authenticate(ann.peerId, ann.token), undefined, 'not connected yet');
    rooms.connect(ann.peerId);
    assert.equal(rooms.authenticate(ann.peerId, ann.token)?.peerId, ann.peerId);
    assert.equal(rooms.authenticate(ann.peerId, ann.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'))), undefined);
    assert.equal(rooms.authenticate('ghost', ann.token), undefined);
    rooms.disconnect(ann.peerId);
    assert.equal(rooms.authenticate(ann.peerId, ann.token), undefined, 'after disconnect');
  });

  test('roommates are connected members of one room', () => {
    const { rooms } = registry();
    const ann = minted(rooms, 'a');
    const bob = minted(rooms, 'a');
    const cid = minted(rooms, 'b');
    rooms.connect(ann.peerId);
    rooms.connect(cid.peerId);
    assert.equal(rooms.areConnectedRoommates(ann.peerId, bob.peerId), false, 'bob is only pending');
    rooms.connect(bob.peerId);
    assert.equal(rooms.areConnectedRoommates(ann.peerId, bob.peerId), true);
    assert.equal(rooms.areConnectedRoommates(ann.peerId, cid.peerId), false);
    assert.equal(rooms.areConnectedRoommates(ann.peerId, 'ghost'), false);
  });

  test('a lock lives as long as someone is in the room', () => {
    const { rooms } = registry();
    assert.equal(rooms.setLocked('lobby', true), false, 'no such room');
    const ann = minted(rooms, 'lobby');
    rooms.connect(ann.peerId);
    assert.equal(rooms.setLocked('lobby', true), true);
    assert.equal(rooms.isLocked('lobby'), true);
    assert.equal(rooms.isLocked('other'), false);
    rooms.disconnect(ann.peerId);
    assert.equal(rooms.isLocked('lobby'), false);
  });

  test('counts pending identities server-wide and finds members by invitation', () => {
    const { rooms, clock } = registry();
    const a = rooms.mint('lobby', 'A', { role: 'guest', invitation });
    const b = rooms.mint('lobby', 'B', { role: 'guest', invitation: { ...invitation, revocationKey: 'jti:other' } });
    const c = rooms.mint('lobby', 'C', { role: 'guest', invitation });
    const [ida, , idc] = [a, b, c].map((result) => (result as { member: Member }).member.peerId);
    assert.equal(rooms.pendingCount, 3);
    rooms.connect(ida!);
    assert.equal(rooms.pendingCount, 2);
    assert.deepEqual(rooms.membersInvitedWith('lobby', 'jti:inv-1').sort(), [ida, idc].sort());
    assert.deepEqual(rooms.membersInvitedWith('nowhere', 'jti:inv-1'), []);
    rooms.disconnect(ida!);
    assert.equal(rooms.pendingCount, 2);
    clock.now += TTL;
    rooms.sweep();
    assert.equal(rooms.pendingCount, 0);
    assert.equal(rooms.connectedCount('lobby'), 0);
    assert.equal(rooms.roomCount, 0);
  });
});
