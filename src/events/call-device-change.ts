/**
 * `kind`: which device changed (`audioinput`, `videoinput` or `audiooutput`, as in
 * `enumerateDevices()`); `deviceId`: the device in use now; `fallback`: true when the previous
 * device went away (unplugged) and the call switched by itself.
 */
export interface CallDeviceChangeDetail {
  kind: 'audioinput' | 'videoinput' | 'audiooutput';
  deviceId: string;
  fallback: boolean;
}

/** Fired by `<video-call>` when the microphone, camera or speaker of a running call changed. */
export class CallDeviceChangeEvent extends CustomEvent<CallDeviceChangeDetail> {
  constructor(detail: CallDeviceChangeDetail) {
    super('call-device-change', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-device-change': CallDeviceChangeEvent;
  }
}
