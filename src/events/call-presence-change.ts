/** Fired by a `<call-button room>` when the number of people in its room changes. */
export interface CallPresenceChangeDetail {
  room: string;
  /** People in the room now; `null` while the count is unknown (the server cannot be reached). */
  count: number | null;
}

export class CallPresenceChangeEvent extends CustomEvent<CallPresenceChangeDetail> {
  constructor(detail: CallPresenceChangeDetail) {
    super('call-presence-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-presence-change': CallPresenceChangeEvent;
  }
}
