/**
 * What a `<call-button>` asks its call to do. `toggle-lock` locks or unlocks the room (hosts of
 * token rooms only); `toggle-screen-share` shares a screen in place of the camera, or stops;
 * `toggle-hand` raises or lowers your hand, `toggle-participants` shows or hides the participant
 * list, `toggle-recording` starts or stops a local recording,
 * and `toggle-chat` opens or closes the chat, files and reactions panel.
 */
export type CallButtonAction =
  | 'join'
  | 'leave'
  | 'toggle-audio'
  | 'toggle-video'
  | 'toggle-lock'
  | 'toggle-screen-share'
  | 'toggle-hand'
  | 'toggle-participants'
  | 'toggle-recording'
  | 'toggle-chat';

/**
 * Fired by `<call-button>` when activated. It bubbles to the enclosing `<video-call>`, which
 * carries it out; call `preventDefault()` to veto it.
 */
export interface CallRequestDetail {
  action: CallButtonAction;
}

export class CallRequestEvent extends CustomEvent<CallRequestDetail> {
  constructor(detail: CallRequestDetail) {
    super('call-request', { bubbles: true, composed: true, cancelable: true, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-request': CallRequestEvent;
  }
}
