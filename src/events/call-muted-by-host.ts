/**
 * Fired by `<video-call>` when a host asked this participant to mute and the microphone has
 * been turned off (a `call-media-change` comes with it). The element shows a notice.
 */
export type CallMutedByHostDetail = Record<string, never>;

export class CallMutedByHostEvent extends CustomEvent<CallMutedByHostDetail> {
  constructor() {
    super('call-muted-by-host', { bubbles: true, composed: true, cancelable: false, detail: {} });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-muted-by-host': CallMutedByHostEvent;
  }
}
