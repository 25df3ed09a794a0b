import { html, nothing, svg, type ReactiveController } from 'lit';
import { CallMonitorController, type MonitorHost } from '../../controllers/call-monitor-controller.js';
import { fitGrid } from '../../core/grid-fit.js';
import type { Participant } from '../../core/participant.js';
import { CallLayoutChangeEvent } from '../../events/call-layout-change.js';
import type { CallController } from '../../controllers/call-controller.js';
import type { LocaleController } from '../../controllers/locale-controller.js';
import { addStyles } from '../../internal/add-styles.js';
import { callStageStyles } from './call-stage.styles.js';

/** What the stage needs from `<video-call>`. */
export interface StageHost extends MonitorHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
  layout: 'grid' | 'spotlight';
  noFullscreen: boolean;
  noPip: boolean;
}

/** Material Symbols paths (Apache-2.0), 24×24. */
const icon = (d: string) => svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d}></path></svg>`;
const icons = {
  pin: icon('M16 9V4h1a1 1 0 0 0 0-2H7a1 1 0 0 0 0 2h1v5a3 3 0 0 1-3 3v2h5.97v7l1 1 1-1v-7H19v-2a3 3 0 0 1-3-3Z'),
  spotlight: icon('M21 3H3a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h18a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2Zm-9 9H3V5h9v7Z'),
  fullScreen: icon('M7 14H5v5h5v-2H7v-3Zm-2-4h2V7h3V5H5v5Zm12 7h-3v2h5v-5h-2v3ZM14 5v2h3v3h2V5h-5Z'),
  exitFullScreen: icon('M5 16h3v3h2v-5H5v2Zm3-8H5v2h5V5H8v3Zm6 11h2v-3h3v-2h-5v5Zm2-11V5h-2v5h5V8h-3Z'),
  pip: icon('M19 11h-8v6h8v-6Zm4 8V5a2 2 0 0 0-2-2H3a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h18a2 2 0 0 0 2-2Zm-2 0H3V5h18v14Z'),
};

/**
 * Everything `<video-call>` shows only during a call, in a chunk of its own: the grid that fits
 * its tiles to the stage, the spotlight layout and pinning, the speaker highlight and quality
 * indicators (from the monitors), full screen, picture-in-picture, and the prompt that asks for a
 * click when the browser will not play the call's sound.
 */
export class CallStage implements ReactiveController {
  private readonly host: StageHost;
  private readonly locale: LocaleController;
  private readonly monitor: CallMonitorController;
  // A new size always re-arranges; an update only when the tiles or the layout changed.
  private readonly resizeObserver = new ResizeObserver(() => this.arrange(true));
  /** What the grid was last arranged for: tile count and layout. */
  private arranged = '';
  /** The stage's size and grid settings, read when the ResizeObserver reports, where layout is fresh. */
  private measured: ReturnType<typeof measure> | null = null;
  private stage: HTMLElement | null = null;
  private pinned: string | null = null;
  /** The last remote participant who spoke: the spotlight stays on them while we talk. */
  private lastRemoteSpeaker: string | null = null;
  /** Remote videos and the stream each was last asked to play, so each stream is asked once. */
  private readonly started = new WeakMap<HTMLVideoElement, MediaProvider>();
  /** Remote videos we muted because the browser refused their sound. */
  private readonly silenced = new Set<HTMLVideoElement>();
  private readonly onViewChange = () => this.host.requestUpdate();

  constructor(host: StageHost, call: CallController, locale: LocaleController) {
    this.host = host;
    this.locale = locale;
    this.monitor = new CallMonitorController(host, () => call.peerConnections);
    addStyles(host.renderRoot as ShadowRoot, callStageStyles);
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('fullscreenchange', this.onViewChange);
    this.host.renderRoot.addEventListener('enterpictureinpicture', this.onViewChange);
    this.host.renderRoot.addEventListener('leavepictureinpicture', this.onViewChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('fullscreenchange', this.onViewChange);
    this.host.renderRoot.removeEventListener('enterpictureinpicture', this.onViewChange);
    this.host.renderRoot.removeEventListener('leavepictureinpicture', this.onViewChange);
    this.resizeObserver.disconnect();
    this.stage = null;
  }

  hostUpdate(): void {
    const participants = this.host.participants;
    if (this.pinned && !participants.some((p) => p.peerId === this.pinned)) this.pinned = null;
    const speaker = this.monitor.activeSpeaker;
    if (participants.some((p) => p.peerId === speaker && !p.local)) this.lastRemoteSpeaker = speaker;
    if (!participants.some((p) => p.peerId === this.lastRemoteSpeaker)) this.lastRemoteSpeaker = null;
    if (!participants.length) this.silenced.clear();
  }

  hostUpdated(): void {
    // The pre-join view may re-render many times a second (its level meter): nothing to do there.
    if (this.host.state !== 'joined' && this.host.state !== 'reconnecting') return;
    const stage = this.host.renderRoot.querySelector<HTMLElement>('[part~="stage"]');
    if (stage !== this.stage) {
      this.resizeObserver.disconnect();
      if (stage) this.resizeObserver.observe(stage);
      this.stage = stage;
      this.arranged = '';
      this.measured = null;
    }
    this.arrange();
    this.playRemoteVideos();
    this.followSpeakerInPip();
  }

  /** Extra part names of a participant's tile: `speaking`, `featured`, `pinned`. */
  tileParts({ peerId }: Participant): string {
    let parts = '';
    if (peerId === this.monitor.activeSpeaker) parts += ' speaking';
    if (this.spotlight && peerId === this.focus()) parts += ' featured';
    if (peerId === this.pinned) parts += ' pinned';
    return parts;
  }

  /** The row of indicators and buttons at the top of a tile. */
  renderTileBadges({ peerId, name, local }: Participant) {
    const strings = this.locale.strings;
    const quality = local ? null : this.monitor.quality(peerId);
    const pinned = this.pinned === peerId;
    const label = pinned ? strings.unpin(name) : strings.pin(name);
    return html`<div class="tile__badges">
      ${quality
        ? html`<span
            part="quality"
            class="quality quality--${quality}"
            data-quality=${quality}
            role="img"
            aria-label=${strings.connectionQuality(quality)}
            title=${strings.connectionQuality(quality)}
            ><span></span><span></span><span></span
          ></span>`
        : nothing}
      ${this.host.participants.length > 1
        ? html`<button
            part="pin-button"
            class="icon-button"
            type="button"
            aria-pressed=${pinned ? 'true' : 'false'}
            aria-label=${label}
            title=${label}
            @click=${() => this.pin(peerId)}
          >
            ${icons.pin}
          </button>`
        : nothing}
    </div>`;
  }

  /** The prompt shown while the browser holds back the others' sound. */
  renderSoundPrompt() {
    if (!this.silenced.size) return nothing;
    const strings = this.locale.strings;
    return html`<p part="sound-prompt" class="sound-prompt" role="alert">
      ${strings.soundBlocked}
      <button part="sound-button" class="primary-button" type="button" @click=${this.enableSound}>
        ${strings.enableSound}
      </button>
    </p>`;
  }

  /** The layout, full-screen and picture-in-picture toggles for the control bar. */
  renderControls() {
    const strings = this.locale.strings;
    const host = this.host;
    const toggle = (name: string, label: string, pressed: boolean, content: unknown, action: () => void, disabled = false) =>
      html`<button
        part="view-control ${name}"
        class="view-control"
        type="button"
        ?disabled=${disabled}
        aria-pressed=${pressed ? 'true' : 'false'}
        aria-label=${label}
        title=${label}
        @click=${action}
      >
        ${content}
      </button>`;
    const fullScreen = document.fullscreenElement === host;
    const inPip = !!(host.renderRoot as ShadowRoot).pictureInPictureElement;
    const pipVideo = this.pipVideo();
    return html`${toggle('layout-button', strings.spotlight, host.layout === 'spotlight', icons.spotlight, () =>
      this.setLayout(host.layout === 'spotlight' ? 'grid' : 'spotlight', null),
    )}
    ${host.noFullscreen || !document.fullscreenEnabled
      ? nothing
      : toggle('fullscreen-button', strings.fullScreen, fullScreen, fullScreen ? icons.exitFullScreen : icons.fullScreen, () =>
          void (fullScreen ? document.exitFullscreen() : host.requestFullscreen()).catch(() => {}),
        )}
    ${host.noPip || !document.pictureInPictureEnabled
      ? nothing
      : // There while you are alone too, disabled: appearing when someone arrived, it moved the bar.
        toggle(
          'pip-button',
          strings.pictureInPicture,
          inPip,
          icons.pip,
          () => void (inPip ? document.exitPictureInPicture() : pipVideo!.requestPictureInPicture()).catch(() => {}),
          !pipVideo,
        )}`;
  }

  private get spotlight(): boolean {
    return this.host.layout === 'spotlight' && this.host.participants.length > 1;
  }

  /** Who the spotlight (and picture-in-picture) shows: the pinned participant, else the last remote speaker, else the first other participant. */
  private focus(): string | null {
    const participants = this.host.participants;
    return this.pinned ?? this.lastRemoteSpeaker ?? participants.find((p) => !p.local)?.peerId ?? null;
  }

  private pin(peerId: string): void {
    if (this.pinned === peerId) this.setLayout(this.host.layout, null);
    else this.setLayout('spotlight', peerId);
  }

  private setLayout(layout: 'grid' | 'spotlight', pinned: string | null): void {
    this.pinned = layout === 'grid' ? null : pinned;
    this.host.layout = layout;
    this.host.requestUpdate();
    this.host.dispatchEvent(new CallLayoutChangeEvent({ layout, pinned: this.pinned }));
  }

  /**
   * Sizes the grid's tiles to the stage (or lays out the spotlight). The stage is measured only
   * when the ResizeObserver reports (`resized`), after a layout: measuring on an update forced a
   * layout of its own, and a join renders many times while its first frames are on their way.
   * An update arranges only when the tiles or the layout changed, with the last measurements.
   */
  private arrange(resized = false): void {
    const stage = this.stage;
    if (!stage) return;
    // Tiles, not participants: a hidden self-view takes no room.
    const count = stage.querySelectorAll(':scope > [part~="tile"]:not([hidden])').length;
    const arrangement = `${count} ${this.spotlight}`;
    if (!resized && arrangement === this.arranged) return;
    if (resized) this.measured = measure(stage);
    // A new stage is measured and arranged once its first ResizeObserver report comes.
    if (!this.measured) return;
    this.arranged = arrangement;
    stage.classList.toggle('stage--spotlight', this.spotlight);
    if (this.spotlight) {
      stage.style.setProperty('--_strip', String(count - 1));
      return;
    }
    const { width, height, ...grid } = this.measured;
    const fit = fitGrid(count, width, height, grid);
    stage.style.setProperty('--_columns', String(fit.columns));
    stage.style.setProperty('--_tile-width', `${Math.floor(fit.tileWidth)}px`);
  }

  /**
   * Starts every remote video. A browser that will not play sound before the visitor has
   * interacted with the page rejects play() with NotAllowedError: the video then plays muted and
   * the prompt asks for the click that turns the sound on, so the call is never silent unnoticed.
   */
  private playRemoteVideos(): void {
    for (const video of this.host.renderRoot.querySelectorAll<HTMLVideoElement>('[part~="remote-tile"] video')) {
      const stream = video.srcObject;
      if (!stream || this.started.get(video) === stream) continue;
      this.started.set(video, stream);
      video.play().catch((error: unknown) => {
        if (video.srcObject !== stream) return;
        // Interrupted (by a reload of the same stream): ask again at the next update.
        if ((error as DOMException)?.name !== 'NotAllowedError') return void this.started.delete(video);
        video.muted = true;
        this.silenced.add(video);
        this.host.requestUpdate();
        void video.play().catch(() => {});
      });
    }
    for (const video of this.silenced) if (!video.isConnected) this.silenced.delete(video);
  }

  /** Runs in the click's user activation, which lets the sound play. */
  private readonly enableSound = (): void => {
    const videos = [...this.silenced];
    this.silenced.clear();
    for (const video of videos) {
      video.muted = false;
      video.play().catch(() => {
        video.muted = true;
        this.silenced.add(video);
        this.host.requestUpdate();
      });
    }
    this.host.requestUpdate();
  };

  /** The video picture-in-picture shows: the spotlight's participant, unless that is us. */
  private pipVideo(): HTMLVideoElement | null {
    const focus = this.focus();
    if (!focus) return null;
    return this.host.renderRoot.querySelector<HTMLVideoElement>(
      `[part~="remote-tile"] video[data-peer-id="${CSS.escape(focus)}"]`,
    );
  }

  /** Once open, the picture-in-picture window follows the speaker (no new user gesture is needed for that). */
  private followSpeakerInPip(): void {
    const current = (this.host.renderRoot as ShadowRoot).pictureInPictureElement;
    const wanted = this.pipVideo();
    if (current && wanted && current !== wanted) void wanted.requestPictureInPicture().catch(() => {});
  }
}

/** The stage's inner size and the grid's settings from its custom properties. */
function measure(stage: HTMLElement) {
  const style = getComputedStyle(stage);
  return {
    width: stage.clientWidth,
    height: stage.clientHeight,
    aspect: parseAspect(style.getPropertyValue('--video-call-tile-aspect-ratio')),
    gap: parseFloat(style.rowGap) || 0,
    minTileWidth: parseLength(style.getPropertyValue('--video-call-tile-min-width') || '220px', style),
  };
}

/** `16 / 9` or `1.5` as a number; 16:9 when unset or unreadable. */
function parseAspect(value: string): number {
  const [width, height = '1'] = value.split('/');
  const aspect = parseFloat(width) / parseFloat(height);
  return aspect > 0 && Number.isFinite(aspect) ? aspect : 16 / 9;
}

/** A length in `px`, `rem` or `em` (of `style`'s element), in px; 0 when it is something else. */
function parseLength(value: string, style: CSSStyleDeclaration): number {
  const number = parseFloat(value);
  const unit = value.trim().replace(/^[-+\d.e]+/i, '');
  if (!Number.isFinite(number)) return 0;
  if (unit === 'px') return number;
  if (unit === 'rem') return number * parseFloat(getComputedStyle(document.documentElement).fontSize);
  if (unit === 'em') return number * parseFloat(style.fontSize);
  return 0;
}
