import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ParticipantRole, ParticipantStatus, RosterMember } from '../src/core/protocol.js';
import { sameStatus } from './participant-status.js';

/** The join token someone came in with: a host's removal blocks it until it expires. */
export interface Invitation {
  revocationKey: string;
  expiresAt: number;
}

/** What a join token granted; open rooms grant nothing (no role, no invitation). */
export interface Grant {
  role?: ParticipantRole;
  invitation?: Invitation;
}

/** Someone the server minted an identity for; `connected` once their signaling socket opened. */
export interface Member extends Grant {
  peerId: string;
  token: string;
  room: string;
  name: string;
  mintedAt: number;
  connected: boolean;
  /** What the member last reported about themselves; gone with the identity. */
  status?: ParticipantStatus;
}

export type MintResult =
  | { kind: 'minted'; member: Member }
  | { kind: 'room-full'; maxParticipants: number };

export interface RoomRegistryOptions {
  maxParticipants: number;
  /** How long a minted identity may wait for its socket before it is void. */
  identityTtlMs: number;
  now?: () => number;
}

interface Room {
  pending: Set<string>;
  /** Insertion order is connection order, which is the roster order. */
  connected: Set<string>;
  /** Set by a host; forgotten with the room once nobody is left in it. */
  locked: boolean;
}

/**
 * The server's authority on who is in which room. Identities are minted here and only a
 * minted, unexpired, unused id/token pair may open a signaling socket; a closed socket
 * revokes its identity for good. Pure bookkeeping: no I/O, no timers.
 */
export class RoomRegistry {
  private readonly maxParticipants: number;
  private readonly identityTtlMs: number;
  private readonly now: () => number;
  private readonly members = new Map<string, Member>();
  private readonly rooms = new Map<string, Room>();
  private pendingTotal = 0;

  constructor({ maxParticipants, identityTtlMs, now = Date.now }: RoomRegistryOptions) {
    this.maxParticipants = maxParticipants;
    this.identityTtlMs = identityTtlMs;
    this.now = now;
  }

  /** `room` and `name` must already be validated and cleaned (see validation.ts). */
  mint(room: string, name: string, grant: Grant = {}): MintResult {
    return this.mintAs(randomUUID(), room, name, grant);
  }

  /**
   * Mints `peerId` again, with a fresh token, for someone who proved it was theirs (a resume
   * ticket): the room sees the same participant come back. Refused while that id is connected;
   * an identity of theirs still waiting for its socket is replaced. The room's size applies.
   */
  remint(peerId: string, room: string, name: string, grant: Grant = {}): MintResult | { kind: 'connected' } {
    const existing = this.members.get(peerId);
    if (existing?.connected) return { kind: 'connected' };
    if (existing) this.remove(existing);
    return this.mintAs(peerId, room, name, grant);
  }

  private mintAs(peerId: string, room: string, name: string, grant: Grant): MintResult {
    if (this.occupancy(room) >= this.maxParticipants) {
      return { kind: 'room-full', maxParticipants: this.maxParticipants };
    }
    const member: Member = {
      peerId,
      token: randomBytes(32).toString('hex'),
      room,
      name,
      mintedAt: this.now(),
      connected: false,
      ...grant,
    };
    this.members.set(member.peerId, member);
    this.roomOf(room).pending.add(member.peerId);
    this.pendingTotal += 1;
    return { kind: 'minted', member };
  }

  /** True only for a pending, unexpired identity presented with exactly its token. */
  verify(peerId: string, token: string): boolean {
    const member = this.members.get(peerId);
    if (!member || member.connected || this.isExpired(member)) return false;
    return tokenMatches(member, token);
  }

  /** The connected member presenting exactly its own token, for host controls. */
  authenticate(peerId: string, token: string): Readonly<Member> | undefined {
    const member = this.members.get(peerId);
    return member?.connected && tokenMatches(member, token) ? member : undefined;
  }

  member(peerId: string): Readonly<Member> | undefined {
    return this.members.get(peerId);
  }

  /** True when both are connected members of one room: the only pairs signaling may join. */
  areConnectedRoommates(peerId: string, otherPeerId: string): boolean {
    const member = this.members.get(peerId);
    const other = this.members.get(otherPeerId);
    return member !== undefined && other !== undefined && member.connected && other.connected && member.room === other.room;
  }

  /** Marks a verified identity as connected; returns its room, or undefined if it is not live. */
  connect(peerId: string): string | undefined {
    const member = this.members.get(peerId);
    if (!member || (!member.connected && this.isExpired(member))) return undefined;
    if (!member.connected) {
      const room = this.roomOf(member.room);
      room.pending.delete(peerId);
      room.connected.add(peerId);
      member.connected = true;
      this.pendingTotal -= 1;
    }
    return member.room;
  }

  /** Forgets the identity entirely (it cannot connect again); returns the room it was in. */
  disconnect(peerId: string): string | undefined {
    const member = this.members.get(peerId);
    if (!member) return undefined;
    this.remove(member);
    return member.room;
  }

  /** Connected members in the order they connected; `role` only where a token granted one. */
  roster(room: string): RosterMember[] {
    const connected = this.rooms.get(room)?.connected ?? [];
    return Array.from(connected, (peerId) => {
      const { name, role, status } = this.members.get(peerId)!;
      return { peerId, name, ...(role && { role }), ...(status && { status }) };
    });
  }

  /** Stores a connected member's status; returns their room when it changed, else undefined. */
  setStatus(peerId: string, status: ParticipantStatus): string | undefined {
    const member = this.members.get(peerId);
    if (!member?.connected || sameStatus(member.status, status)) return undefined;
    member.status = status;
    return member.room;
  }

  /** Everyone in the room (connected or pending) who joined with this invitation. */
  membersInvitedWith(roomName: string, revocationKey: string): string[] {
    const room = this.rooms.get(roomName);
    if (!room) return [];
    return [...room.connected, ...room.pending].filter(
      (peerId) => this.members.get(peerId)!.invitation?.revocationKey === revocationKey,
    );
  }

  connectedCount(room: string): number {
    return this.rooms.get(room)?.connected.size ?? 0;
  }

  /** Identities minted but not connected yet, server-wide (expired ones until the next sweep). */
  get pendingCount(): number {
    return this.pendingTotal;
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  isLocked(room: string): boolean {
    return this.rooms.get(room)?.locked ?? false;
  }

  /** Only a room with someone in it can be locked; false when there is no such room. */
  setLocked(roomName: string, locked: boolean): boolean {
    const room = this.rooms.get(roomName);
    if (!room) return false;
    room.locked = locked;
    return true;
  }

  /** Drops identities whose socket never came within the TTL. */
  sweep(): void {
    for (const member of this.members.values()) {
      if (!member.connected && this.isExpired(member)) this.remove(member);
    }
  }

  private occupancy(roomName: string): number {
    const room = this.rooms.get(roomName);
    if (!room) return 0;
    let live = room.connected.size;
    for (const peerId of room.pending) {
      if (!this.isExpired(this.members.get(peerId)!)) live += 1;
    }
    return live;
  }

  private isExpired(member: Member): boolean {
    return this.now() - member.mintedAt >= this.identityTtlMs;
  }

  private roomOf(name: string): Room {
    let room = this.rooms.get(name);
    if (!room) {
      room = { pending: new Set(), connected: new Set(), locked: false };
      this.rooms.set(name, room);
    }
    return room;
  }

  private remove(member: Member): void {
    this.members.delete(member.peerId);
    if (!member.connected) this.pendingTotal -= 1;
    const room = this.rooms.get(member.room);
    if (!room) return;
    room.pending.delete(member.peerId);
    room.connected.delete(member.peerId);
    if (room.pending.size === 0 && room.connected.size === 0) this.rooms.delete(member.room);
  }
}

function tokenMatches(member: Member, token: string): boolean {
  const expected = Buffer.from(member.token, 'utf8');
  const given = Buffer.from(token, 'utf8');
  // The length is public (every token is 64 hex digits); only the content must not leak.
  return given.length === expected.length && timingSafeEqual(given, expected);
}
