/** Fired by `<call-panel>` (and so by a standalone `<call-button>`) when it opens, closes, minimizes or restores. */
export interface CallPanelToggleDetail {
  open: boolean;
  minimized: boolean;
}

export class CallPanelToggleEvent extends CustomEvent<CallPanelToggleDetail> {
  constructor(detail: CallPanelToggleDetail) {
    super('call-panel-toggle', { bubbles: true, composed: true, cancelable: false, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'call-panel-toggle': CallPanelToggleEvent;
  }
}
