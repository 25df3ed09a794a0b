import { randomBytes, randomUUID } from 'node:crypto';
import type { WaitingGuest } from '../src/core/protocol.js';
import type { Grant } from './rooms.js';

export type KnockState = 'waiting' | 'admitted' | 'declined';

/** A guest at the door of a token room with a waiting room. */
export interface Knock {
  /** Public: hosts see it and name the knock with it. */
  id: string;
  /** Secret: only the guest has it, and only it collects the identity once admitted. */
  ticket: string;
  room: string;
  name: string;
  grant: Grant;
  state: KnockState;
  /** When the guest last had a poll open; a knock nobody polls for is abandoned. */
  lastSeenAt: number;
  /** Set while the guest's poll is open: answers it with the knock's state as it now is. */
  wake: (() => void) | undefined;
}

export interface WaitingRoomOptions {
  /** A knock whose guest has not polled for this long is dropped (they closed the page). */
  abandonAfterMs: number;
  now?: () => number;
}

/**
 * Guests knocking at token rooms, and the hosts' decisions on them. Pure bookkeeping, like
 * RoomRegistry: the HTTP side holds the guests' polls open and pushes the hosts' rosters.
 */
export class WaitingRoom {
  private readonly byTicket = new Map<string, Knock>();
  private readonly byRoom = new Map<string, Map<string, Knock>>();
  private readonly abandonAfterMs: number;
  private readonly now: () => number;

  constructor({ abandonAfterMs, now = Date.now }: WaitingRoomOptions) {
    this.abandonAfterMs = abandonAfterMs;
    this.now = now;
  }

  knock(room: string, name: string, grant: Grant): Knock {
    const knock: Knock = {
      id: randomUUID(),
      ticket: randomBytes(32).toString('base64url'),
      room,
      name,
      grant,
      state: 'waiting',
      lastSeenAt: this.now(),
      wake: undefined,
    };
    this.byTicket.set(knock.ticket, knock);
    let knocks = this.byRoom.get(room);
    if (!knocks) {
      knocks = new Map();
      this.byRoom.set(room, knocks);
    }
    knocks.set(knock.id, knock);
    return knock;
  }

  /** The guest's own view: only the ticket finds it. */
  withTicket(ticket: string): Knock | undefined {
    return this.byTicket.get(ticket);
  }

  /** Undecided knocks of a room, oldest first, as hosts see them. */
  list(room: string): WaitingGuest[] {
    const knocks = this.byRoom.get(room)?.values() ?? [];
    return Array.from(knocks)
      .filter((knock) => knock.state === 'waiting')
      .map(({ id, name }) => ({ id, name }));
  }

  /** Records a host's decision on an undecided knock; undefined if there is none with that id. */
  decide(room: string, id: string, state: 'admitted' | 'declined'): Knock | undefined {
    const knock = this.byRoom.get(room)?.get(id);
    if (!knock || knock.state !== 'waiting') return undefined;
    knock.state = state;
    knock.wake?.();
    return knock;
  }

  /** Marks the guest as present now (a poll opened or ended). */
  touch(knock: Knock): void {
    knock.lastSeenAt = this.now();
  }

  remove(knock: Knock): void {
    this.byTicket.delete(knock.ticket);
    const knocks = this.byRoom.get(knock.room);
    knocks?.delete(knock.id);
    if (knocks?.size === 0) this.byRoom.delete(knock.room);
  }

  /** Drops undecided knocks with this revocation key in `room`: their invitation was withdrawn. */
  withdraw(room: string, revocationKey: string): void {
    for (const knock of this.byRoom.get(room)?.values() ?? []) {
      if (knock.state === 'waiting' && knock.grant.invitation?.revocationKey === revocationKey) {
        knock.state = 'declined';
        knock.wake?.();
      }
    }
  }

  get size(): number {
    return this.byTicket.size;
  }

  countIn(room: string): number {
    return this.byRoom.get(room)?.size ?? 0;
  }

  /** Drops knocks abandoned by their guest; returns the rooms whose waiting list changed. */
  sweep(): Set<string> {
    const changed = new Set<string>();
    const cutoff = this.now() - this.abandonAfterMs;
    for (const knock of this.byTicket.values()) {
      if (knock.wake === undefined && knock.lastSeenAt < cutoff) {
        if (knock.state === 'waiting') changed.add(knock.room);
        this.remove(knock);
      }
    }
    return changed;
  }
}
