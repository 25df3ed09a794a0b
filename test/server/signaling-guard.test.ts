import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RoomRegistry, type Member } from '../../server/rooms.js';
import { judgeMessage } from '../../server/signaling-guard.js';

function setup() {
  const rooms = new RoomRegistry({ maxParticipants: 6, identityTtlMs: 30_000 });
  const mint = (room: string) => (rooms.mint(room, 'x') as { member: Member }).member.peerId;
  const ann = mint('a');
  const bob = mint('a');
  const pending = mint('a');
  const cid = mint('b');
  for (const id of [ann, bob, cid]) rooms.connect(id);
  return { rooms, ann, bob, pending, cid };
}

const judge = (rooms: RoomRegistry, from: string, message: unknown, isBinary = false) =>
  judgeMessage(Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)), isBinary, from, rooms);

describe('judgeMessage', () => {
  test('relays OFFER, ANSWER, CANDIDATE and LEAVE to a connected roommate', () => {
    const { rooms, ann, bob } = setup();
    for (const type of ['OFFER', 'ANSWER', 'CANDIDATE']) {
      assert.equal(judge(rooms, ann, { type, dst: bob, payload: { sdp: 'v=0' } }), 'relay', type);
    }
    assert.equal(judge(rooms, ann, { type: 'LEAVE', dst: bob }), 'relay');
    assert.equal(judge(rooms, ann, { type: 'HEARTBEAT' }), 'heartbeat');
  });

  test('takes PEERCALL_LEAVE as the sender’s own hang-up, with or without a destination', () => {
    const { rooms, ann, bob, cid } = setup();
    assert.equal(judge(rooms, ann, { type: 'PEERCALL_LEAVE' }), 'leave');
    // Never relayed, whatever it names.
    assert.equal(judge(rooms, ann, { type: 'PEERCALL_LEAVE', dst: bob }), 'leave');
    assert.equal(judge(rooms, ann, { type: 'PEERCALL_LEAVE', dst: cid }), 'leave');
  });

  test('drops messages to other rooms, unknown and pending ids', () => {
    const { rooms, ann, pending, cid } = setup();
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: cid, payload: {} }), 'other-room');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: pending, payload: {} }), 'unknown-destination');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: 'made-up', payload: {} }), 'unknown-destination');
  });

  test('drops other types, bad shapes, binary frames and non-JSON', () => {
    const { rooms, ann, bob } = setup();
    for (const type of ['OPEN', 'EXPIRE', 'ID-TAKEN', 'ERROR', 'PEERCALL_ROSTER', 'offer', 42, undefined]) {
      assert.equal(judge(rooms, ann, { type, dst: bob, payload: {} }), 'type-not-allowed', String(type));
    }
    assert.equal(judge(rooms, ann, { type: 'LEAVE' }), 'bad-shape', 'LEAVE without dst would unregister the sender in PeerServer');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: 42, payload: {} }), 'bad-shape');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: 'x'.repeat(65), payload: {} }), 'bad-shape');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: bob }), 'bad-shape');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: bob, payload: 'sdp' }), 'bad-shape');
    assert.equal(judge(rooms, ann, { type: 'OFFER', dst: bob, payload: [] }), 'bad-shape');
    for (const text of ['[]', 'null', '"OFFER"', '7']) assert.equal(judge(rooms, ann, text), 'bad-shape', text);
    assert.equal(judge(rooms, ann, '{"type":'), 'not-json');
    assert.equal(judge(rooms, ann, { type: 'HEARTBEAT' }, true), 'binary');
  });
});
