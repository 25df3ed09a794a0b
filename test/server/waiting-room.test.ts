import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RevokedTokens } from '../../server/revocations.js';
import { RoomAccessPolicy, compileRoomPattern } from '../../server/room-access.js';
import { WaitingRoom } from '../../server/waiting-room.js';

describe('RoomAccessPolicy', () => {
  test('patterns pick token rooms and waiting rooms; the rest follow the default', () => {
    const policy = new RoomAccessPolicy({ defaultAccess: 'open', tokenRooms: ['support-*', 'vip'], waitingRooms: ['support-*', 'lobby'] });
    assert.equal(policy.accessFor('support-42'), 'token');
    assert.equal(policy.accessFor('support-'), 'token');
    assert.equal(policy.accessFor('vip'), 'token');
    assert.equal(policy.accessFor('vip2'), 'open');
    assert.equal(policy.accessFor('my-support-1'), 'open');
    assert.equal(policy.hasWaitingRoom('support-1'), true);
    // An open room has no host to open the door.
    assert.equal(policy.hasWaitingRoom('lobby'), false);
    const all = new RoomAccessPolicy({ defaultAccess: 'token', tokenRooms: [], waitingRooms: ['lobby'] });
    assert.equal(all.accessFor('anything'), 'token');
    assert.equal(all.hasWaitingRoom('lobby'), true);
  });

  test('a * matches room-name characters only, anchored at both ends', () => {
    const pattern = compileRoomPattern('a*b');
    assert.equal(pattern.test('ab'), true);
    assert.equal(pattern.test('a-x_9b'), true);
    assert.equal(pattern.test('xab'), false);
    assert.equal(pattern.test('abx'), false);
    assert.equal(pattern.test('a.b'), false);
  });
});

describe('WaitingRoom', () => {
  const grant = { role: 'guest' as const, invitation: { revocationKey: 'jti:g', expiresAt: 10_000 } };

  test('a knock has a secret ticket for the guest and a separate id for hosts', () => {
    const waiting = new WaitingRoom({ abandonAfterMs: 1000 });
    const knock = waiting.knock('r', 'Gus', grant);
    assert.match(knock.ticket, /^[\w-]{43}$/);
    assert.notEqual(knock.id, knock.ticket);
    assert.deepEqual(waiting.list('r'), [{ id: knock.id, name: 'Gus' }]);
    assert.ok(!JSON.stringify(waiting.list('r')).includes(knock.ticket));
    assert.equal(waiting.withTicket(knock.ticket), knock);
    assert.equal(waiting.withTicket(knock.id), undefined);
  });

  test('a decision wakes the open poll once and leaves the list', () => {
    const waiting = new WaitingRoom({ abandonAfterMs: 1000 });
    const knock = waiting.knock('r', 'Gus', grant);
    let woken = 0;
    knock.wake = () => (woken += 1);
    assert.equal(waiting.decide('other', knock.id, 'admitted'), undefined, 'wrong room');
    assert.equal(waiting.decide('r', knock.id, 'admitted'), knock);
    assert.equal(knock.state, 'admitted');
    assert.equal(waiting.decide('r', knock.id, 'declined'), undefined, 'already decided');
    assert.equal(woken, 1);
    assert.deepEqual(waiting.list('r'), []);
    waiting.remove(knock);
    assert.equal(waiting.size, 0);
  });

  test('withdraw declines the knocks of a revoked invitation', () => {
    const waiting = new WaitingRoom({ abandonAfterMs: 1000 });
    const revokedOne = waiting.knock('r', 'A', grant);
    const other = waiting.knock('r', 'B', { role: 'guest', invitation: { revocationKey: 'jti:h', expiresAt: 1 } });
    waiting.withdraw('r', 'jti:g');
    assert.equal(revokedOne.state, 'declined');
    assert.equal(other.state, 'waiting');
  });

  test('sweep drops knocks nobody polls for, but not one with a poll open', () => {
    const clock = { now: 0 };
    const waiting = new WaitingRoom({ abandonAfterMs: 1000, now: () => clock.now });
    const gone = waiting.knock('r', 'Gone', grant);
    const polling = waiting.knock('s', 'Polling', grant);
    polling.wake = () => {};
    clock.now = 999;
    assert.deepEqual([...waiting.sweep()], []);
    clock.now = 1001;
    assert.deepEqual([...waiting.sweep()], ['r']);
    assert.equal(waiting.withTicket(gone.ticket), undefined);
    assert.equal(waiting.withTicket(polling.ticket), polling);
    assert.equal(waiting.countIn('r'), 0);
    assert.equal(waiting.countIn('s'), 1);
  });
});

describe('RevokedTokens', () => {
  test('refuses a key until its expiry, then forgets it', () => {
    const clock = { now: 0 };
    const revoked = new RevokedTokens(() => clock.now);
    revoked.revoke('jti:a', 1000);
    assert.equal(revoked.isRevoked('jti:a'), true);
    assert.equal(revoked.isRevoked('jti:b'), false);
    // A later expiry for the same key wins; an earlier one does not shorten it.
    revoked.revoke('jti:a', 500);
    clock.now = 999;
    assert.equal(revoked.isRevoked('jti:a'), true);
    clock.now = 1000;
    assert.equal(revoked.isRevoked('jti:a'), false);
    revoked.sweep();
    revoked.revoke('jti:a', 2000);
    assert.equal(revoked.isRevoked('jti:a'), true);
  });
});
