import type { CallButton } from '../../src/components/call-button/call-button.js';
import type { CallPanel } from '../../src/components/call-panel/call-panel.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';

/** The native `<button>` inside a `<call-button>`. */
export function nativeButton(el: CallButton): HTMLButtonElement {
  return el.shadowRoot!.querySelector('button[part~="base"]')!;
}

/** The floating panel a standalone `<call-button>` opened. */
export function panelOf(el: CallButton): CallPanel {
  return el.shadowRoot!.querySelector('call-panel')!;
}

/** The `<video-call>` inside a panel (while it is open). */
export function callIn(panel: CallPanel): VideoCall {
  return panel.shadowRoot!.querySelector('video-call')!;
}

/** A built-in control of a `<video-call>`. */
export function control(el: VideoCall, action: string): CallButton {
  return el.shadowRoot!.querySelector<CallButton>(`call-button[action="${action}"]`)!;
}

/** Text of the element's visible status lines (joining, errors, notices). */
export function statusText(el: VideoCall): string {
  return [...el.shadowRoot!.querySelectorAll('[part~="status"]')]
    .filter((node) => !node.closest('[hidden]'))
    .map((node) => node.textContent?.trim())
    .join(' ');
}

/** What the element's live region is announcing. */
export function announcement(el: VideoCall): string {
  return el.shadowRoot!.querySelector('[aria-live]')!.textContent?.replace(/\s+/g, ' ').trim() ?? '';
}

/** The focused element, looking through shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** The Try again button of the element's error view, or `null` when it offers none. */
export function retryButton(el: VideoCall): HTMLButtonElement | null {
  return el.state === 'error'
    ? el.shadowRoot!.querySelector<HTMLButtonElement>('.panel:not([hidden]) [part="join-button"]:not([hidden])')
    : null;
}

/** A participant's tile. */
export function tileOf(el: VideoCall, peerId: string): HTMLElement {
  return el.shadowRoot!.querySelector<HTMLElement>(`[part~="tile"][data-participant="${CSS.escape(peerId)}"]`)!;
}
