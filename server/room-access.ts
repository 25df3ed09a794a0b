/** Whether a room needs a signed join token: `open` rooms admit anyone who knows their name. */
export type RoomAccess = 'open' | 'token';

/** A room pattern: room-name characters, with `*` for any run of them (`support-*`). */
export const ROOM_PATTERN_SYNTAX = /^[A-Za-z0-9_*-]{1,64}$/;

export interface RoomAccessRules {
  /** For rooms that match no `tokenRooms` pattern. */
  defaultAccess: RoomAccess;
  tokenRooms: readonly string[];
  /** Token rooms where guests knock and a host lets them in. */
  waitingRooms: readonly string[];
}

/** Decides per room name, from the operator's patterns, how people get in. */
export class RoomAccessPolicy {
  private readonly tokenRooms: RegExp[];
  private readonly waitingRooms: RegExp[];

  constructor(private readonly rules: RoomAccessRules) {
    this.tokenRooms = rules.tokenRooms.map(compileRoomPattern);
    this.waitingRooms = rules.waitingRooms.map(compileRoomPattern);
  }

  accessFor(room: string): RoomAccess {
    if (this.rules.defaultAccess === 'token') return 'token';
    return this.tokenRooms.some((pattern) => pattern.test(room)) ? 'token' : 'open';
  }

  /** Only token rooms can have a waiting room: elsewhere there is no host to open the door. */
  hasWaitingRoom(room: string): boolean {
    return this.accessFor(room) === 'token' && this.waitingRooms.some((pattern) => pattern.test(room));
  }
}

/** `pattern` must match ROOM_PATTERN_SYNTAX, which leaves no character to escape but `*`. */
export function compileRoomPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.replaceAll('*', '[A-Za-z0-9_-]*')}$`);
}
