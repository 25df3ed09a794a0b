import { css, html, nothing, svg, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { Call, CallEventMap } from '../../core/call.js';
import type { CallController } from '../../controllers/call-controller.js';
import type { LobbyController } from '../../controllers/lobby-controller.js';
import type { LocaleController } from '../../controllers/locale-controller.js';
import { canChooseSpeaker, listDevices, type DeviceLists } from '../../core/devices.js';
import type { MediaKind } from '../../core/media.js';
import { CallDeviceChangeEvent } from '../../events/call-device-change.js';
import { CallScreenShareChangeEvent } from '../../events/call-screen-share-change.js';
import { addStyles } from '../../internal/add-styles.js';
import { whenIdle } from '../../internal/when-idle.js';
import { renderDeviceSelect } from './device-select.js';

/**
 * The in-call device menu of `<video-call>` (camera, microphone and speaker pickers, front/back
 * camera, self-view mirror and hide), the presentation view of shared screens, and the element
 * events of device changes and screen sharing. A chunk of its own, fetched once the call is
 * joined: pages that never join never download it.
 */

/** What the menu needs from its element. */
export interface DeviceMenuHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

/**
 * A video is a shared screen when its long side is above this: every camera is captured at
 * 640×360 (see media.ts), and a screen is sent at its own size (up to 1920×1080, never scaled
 * down by the mesh governor). The sender's content hint does not travel, so size is the signal.
 */
const CAMERA_MAX_SIDE = 640;

const NO_DEVICES: DeviceLists = { audioinput: [], videoinput: [], audiooutput: [] };

const tuneIcon = svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 17v2h6v-2H3ZM3 5v2h10V5H3Zm10 16v-2h8v-2h-8v-2h-2v6h2ZM7 9v2H3v2h4v2h2V9H7Zm14 4v-2H11v2h10Zm-6-4h2V7h4V5h-4V3h-2v6Z"></path></svg>`;

export const deviceMenuStyles = css`
  .controls {
    position: relative;
  }
  .device-menu-button {
    display: inline-grid;
    place-items: center;
    min-width: var(--call-button-size, 44px);
    min-height: var(--call-button-size, 44px);
    padding: 0;
    border: 0;
    border-radius: var(--call-button-radius, 999px);
    background: var(--call-button-background, color-mix(in srgb, currentColor 12%, transparent));
    color: inherit;
    cursor: pointer;
  }
  .device-menu-button svg {
    width: 24px;
    height: 24px;
    fill: currentColor;
  }
  .device-menu-button:focus-visible,
  .device-menu :focus-visible {
    outline: var(--video-call-focus-ring, 2px solid #1a73e8);
    outline-offset: 2px;
  }
  .device-menu {
    position: absolute;
    bottom: calc(100% + var(--video-call-gap, 8px));
    inset-inline-end: 0;
    z-index: 1;
    display: flex;
    flex-direction: column;
    gap: 0.75em;
    box-sizing: border-box;
    width: min(22em, 100%);
    max-height: 70vh;
    padding: 1em;
    overflow: auto;
    border-radius: max(0px, calc(var(--video-call-radius, 12px) - 4px));
    background: var(--video-call-background, var(--_background));
    box-shadow: 0 4px 16px rgba(0, 0, 0, 0.3);
  }
  .device-menu .lobby__input {
    min-width: 0;
    width: 100%;
  }
  .device-menu__check {
    display: flex;
    align-items: center;
    gap: 0.5em;
    min-height: 32px;
  }
  .tile[data-presenting] {
    grid-column: 1 / -1;
    background: #000;
  }
  .tile[data-presenting] .tile__video {
    object-fit: contain;
    transform: none;
  }
  .tile[data-mirror='off'] .tile__video {
    transform: none;
  }
`;

export class DeviceMenu implements ReactiveController {
  private readonly host: DeviceMenuHost;
  private readonly calls: CallController;
  private readonly lobby: LobbyController;
  private readonly locale: LocaleController;
  private readonly announce: (text: string) => void;
  open = false;
  /** Self-view choices. */
  mirror = true;
  hideSelf = false;
  private devices: DeviceLists;
  /** The call whose events we pass on: a new one comes with every join. */
  private watched: Call | null = null;
  private readonly onDeviceChange = () => void this.refresh();
  private readonly onResize = (event: Event) => {
    if (event.target instanceof HTMLVideoElement) markPresentation(event.target);
  };
  private readonly onTrackChange = ({ detail: { kind, track, reason } }: CallEventMap['trackchange']) => {
    this.host.requestUpdate();
    void this.refresh();
    // A screen share's swaps have their own event.
    if (reason === 'screen') return;
    const deviceId = track.getSettings().deviceId ?? '';
    const fallback = reason === 'fallback';
    this.host.dispatchEvent(new CallDeviceChangeEvent({ kind: `${kind}input`, deviceId, fallback }));
    const strings = this.locale.strings;
    if (fallback) this.announce(strings.deviceFallback(kind === 'video' ? strings.camera : strings.microphone));
  };
  private readonly onScreenShareChange = ({ detail }: CallEventMap['screensharechange']) => {
    this.host.requestUpdate();
    this.host.dispatchEvent(new CallScreenShareChangeEvent(detail));
  };

  constructor(
    host: DeviceMenuHost,
    calls: CallController,
    lobby: LobbyController,
    locale: LocaleController,
    announce: (text: string) => void,
  ) {
    this.host = host;
    this.calls = calls;
    this.lobby = lobby;
    this.locale = locale;
    this.announce = announce;
    // The lobby listed them moments ago; listing again is left for when the call has connected.
    this.devices = lobby.devices;
    addStyles(host.renderRoot as ShadowRoot, deviceMenuStyles);
    host.addController(this);
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.onDeviceChange);
    // A media element's resize does not bubble; a capturing listener still sees every tile's.
    this.host.renderRoot.addEventListener('resize', this.onResize, true);
    for (const video of this.host.renderRoot.querySelectorAll('video')) markPresentation(video);
    // enumerateDevices took about 5 ms of the main thread while the first frames were on their way.
    whenIdle(() => void this.refresh(), 1000);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.onDeviceChange);
    this.host.renderRoot.removeEventListener('resize', this.onResize, true);
  }

  hostUpdated(): void {
    this.watch(this.calls.active);
    // Closed when the call ends, so that the next call starts with it closed.
    if (!this.calls.inRoom) this.open = false;
    const tile = this.host.renderRoot.querySelector<HTMLElement>('[part~="local-tile"]');
    if (!tile) return;
    tile.hidden = this.hideSelf;
    if (this.mirror) tile.removeAttribute('data-mirror');
    else tile.setAttribute('data-mirror', 'off');
  }

  private watch(call: Call | null): void {
    if (call === this.watched) return;
    this.watched?.removeEventListener('trackchange', this.onTrackChange);
    this.watched?.removeEventListener('screensharechange', this.onScreenShareChange);
    call?.addEventListener('trackchange', this.onTrackChange);
    call?.addEventListener('screensharechange', this.onScreenShareChange);
    this.watched = call;
  }

  render() {
    const strings = this.locale.strings;
    const call = this.calls.active;
    const stream = call?.localStream ?? null;
    const current = (kind: MediaKind) =>
      (kind === 'audio' ? stream?.getAudioTracks() : stream?.getVideoTracks())?.[0]?.getSettings() ?? {};
    const facing = current('video').facingMode;
    const canFlip = (facing === 'user' || facing === 'environment') && this.devices.videoinput.length > 1;
    return html`<button
        part="device-menu-button"
        class="device-menu-button"
        type="button"
        aria-label=${strings.settings}
        title=${strings.settings}
        aria-expanded=${String(this.open)}
        aria-controls="device-menu"
        @click=${() => this.toggle()}
      >
        ${tuneIcon}
      </button>
      <div
        part="device-menu"
        id="device-menu"
        class="device-menu"
        role="group"
        aria-label=${strings.settings}
        ?hidden=${!this.open}
        @keydown=${this.handleKeydown}
      >
        ${this.picker('videoinput', strings.camera, current('video').deviceId ?? '')}
        ${canFlip
          ? html`<button
              part="switch-camera"
              class="secondary-button"
              type="button"
              @click=${() => void call?.useDevice('video', { facingMode: facing === 'user' ? 'environment' : 'user' }).catch(() => {})}
            >
              ${strings.switchCamera}
            </button>`
          : nothing}
        ${this.picker('audioinput', strings.microphone, current('audio').deviceId ?? '')}
        ${canChooseSpeaker() ? this.picker('audiooutput', strings.speaker, this.lobby.speakerId) : nothing}
        <label class="device-menu__check">
          <input
            part="self-view-toggle"
            type="checkbox"
            data-option="mirror"
            .checked=${this.mirror}
            @change=${(event: Event) => this.setSelfView('mirror', (event.target as HTMLInputElement).checked)}
          />
          ${strings.mirrorSelfView}
        </label>
        <label class="device-menu__check">
          <input
            part="self-view-toggle"
            type="checkbox"
            data-option="hide"
            .checked=${this.hideSelf}
            @change=${(event: Event) => this.setSelfView('hide', (event.target as HTMLInputElement).checked)}
          />
          ${strings.hideSelfView}
        </label>
      </div>`;
  }

  private picker(kind: keyof DeviceLists, label: string, selected: string) {
    return renderDeviceSelect(kind, label, this.devices[kind], selected, (deviceId) => this.choose(kind, deviceId));
  }

  private choose(kind: keyof DeviceLists, deviceId: string): void {
    if (kind === 'audiooutput') {
      this.lobby.selectSpeaker(deviceId);
      this.host.dispatchEvent(new CallDeviceChangeEvent({ kind, deviceId, fallback: false }));
      return;
    }
    // A device that cannot be opened leaves the old one working; the picker shows it again.
    void this.calls.active
      ?.useDevice(kind === 'audioinput' ? 'audio' : 'video', deviceId)
      .catch(() => this.host.requestUpdate());
  }

  private toggle(): void {
    this.open = !this.open;
    if (this.open) void this.refresh();
    this.host.requestUpdate();
  }

  private setSelfView(option: 'mirror' | 'hide', on: boolean): void {
    if (option === 'mirror') this.mirror = on;
    else this.hideSelf = on;
    this.host.requestUpdate();
  }

  private handleKeydown = (event: KeyboardEvent): void => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    this.open = false;
    this.host.requestUpdate();
    this.host.renderRoot.querySelector<HTMLElement>('[part~="device-menu-button"]')?.focus();
  };

  private async refresh(): Promise<void> {
    try {
      this.devices = await listDevices();
    } catch {
      this.devices = NO_DEVICES;
    }
    this.host.requestUpdate();
  }
}

function markPresentation(video: HTMLVideoElement): void {
  const tile = video.closest('[part~="tile"]');
  tile?.toggleAttribute('data-presenting', Math.max(video.videoWidth, video.videoHeight) > CAMERA_MAX_SIDE);
}
