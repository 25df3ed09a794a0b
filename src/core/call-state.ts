/**
 * The life of one call session.
 * - `idle`: not in a room (before the first join, and after leaving)
 * - `joining`: asking for media, the room and the signaling socket
 * - `waiting`: knocking at a token room's waiting room until a host admits or declines us
 * - `joined`: in the room; peers come and go
 * - `reconnecting`: in the room, media still flowing, but the connection to the server dropped and
 *   is being resumed (with backoff)
 * - `leaving`: tearing down
 * - `error`: the last join failed or the session was lost; `join()` may be tried again
 */
export type CallState = 'idle' | 'joining' | 'waiting' | 'joined' | 'reconnecting' | 'leaving' | 'error';

const allowedTransitions: Record<CallState, readonly CallState[]> = {
  idle: ['joining'],
  joining: ['waiting', 'joined', 'leaving', 'error'],
  waiting: ['joining', 'leaving', 'error'],
  joined: ['reconnecting', 'leaving', 'error'],
  reconnecting: ['joined', 'leaving', 'error'],
  leaving: ['idle'],
  error: ['joining', 'idle'],
};

/** Whether a session in state `from` may move to `to`. */
export function canTransition(from: CallState, to: CallState): boolean {
  return allowedTransitions[from].includes(to);
}
