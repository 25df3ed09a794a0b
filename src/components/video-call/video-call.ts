import { ContextProvider } from '@lit/context';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { live } from 'lit/directives/live.js';
import { repeat } from 'lit/directives/repeat.js';
import { callContext, type CallHandle } from '../../context/call-context.js';
import { CallController } from '../../controllers/call-controller.js';
import { LobbyController } from '../../controllers/lobby-controller.js';
import { StandbyController } from '../../controllers/standby-controller.js';
import type { MediaKind } from '../../core/media.js';
import { loadName, saveName } from '../../core/name-store.js';
import type { RoomControlState } from '../../core/call.js';
import { LocaleController } from '../../controllers/locale-controller.js';
import type { CallState } from '../../core/call-state.js';
import { CallError, type CallErrorType } from '../../core/errors.js';
import type { Participant } from '../../core/participant.js';
import type { HostAction } from '../../core/protocol.js';
import type { CallKnockEvent } from '../../events/call-knock.js';
import type { CallButtonAction } from '../../events/call-request.js';
import type { StringOverrides } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';
import { negotiationHold } from '../../core/negotiation-hold.js';
import { warmUpForCall } from './warm-up.js';
import { featureControls } from './feature-controls.js';
import { loadCallChat, loadCallStage, loadDeviceMenu, loadParticipantFeatures } from './in-call-chunks.js';
import { RemoteVideos } from './remote-videos.js';
import { isPageUnloading } from '../../internal/page-unload.js';
import { SCRIPT_SERVER } from '../../internal/script-server.js';
import { hostStyles } from '../../styles/host.styles.js';
import type { Theme } from '../../styles/theme.js';
import '../call-button/call-button.js';
import type { CallStage } from './call-stage.js';
import type { DeviceMenu } from './device-menu.js';
import type { ParticipantFeatures } from './participant-features.js';
import type { CallChat } from '../call-chat/call-chat.js';
import { renderDeviceSelect } from './device-select.js';
import { videoCallStyles } from './video-call.styles.js';

/** How long an announcement stays in the live region; after that the next one starts afresh. */
const ANNOUNCEMENT_MS = 5000;
/** How long the outcome of a host control stays on screen. */
const CONTROL_STATUS_MS = 6000;
/**
 * How long joining or leaving goes on before its spinner turns. Most joins are over sooner, and a
 * spinner that only flashes by tells nothing: it costs a new frame 60 times a second, in the very
 * moments the first video frames are encoded and decoded. Turning from the click, it held a
 * two-person join back by 5–10 ms (paired connect benchmark, two runs of 50).
 */
const SPINNER_DELAY_MS = 400;
/** Failures that trying again with the same join token cannot mend; a new `token` can. */
const FINAL_FOR_THIS_TOKEN: ReadonlySet<CallErrorType> = new Set(['unauthorized', 'forbidden', 'removed']);

/**
 * A peer-to-peer video call in one room: local preview, one tile per participant, and controls.
 * The peercall server it talks to owns the room, mints each participant's identity and relays
 * signaling; media flows directly between browsers (encrypted with DTLS-SRTP).
 *
 * Screen readers hear when others join or leave and when something fails. Inside an `<iframe>`,
 * the frame needs `allow="camera; microphone; display-capture"`; without it the element says so
 * instead of asking for the camera. `<call-button>`s nested in it (for example in the `controls`
 * slot) or pointing at it with `for="its-id"` control it.
 *
 * In a token room (see the server's `--token-rooms`), set `token` to a join token from your
 * site's backend. Guests of a room with a waiting room see "Waiting for the host to let you in…"
 * until a host admits them. Hosts (a token with `role: host`) get host controls: a lock toggle in
 * the control bar, the list of guests knocking with Admit and Decline, and on every other tile
 * Ask to mute and Remove (which asks for confirmation).
 *
 * The pre-join view shows a camera preview as soon as it appears (the browser asks for the camera
 * then, as on Meet or Whereby), a microphone level meter, camera / microphone / speaker pickers
 * and toggles to join muted; what it captured is handed to the call at Join, so joining asks for
 * nothing again. `no-preview` keeps the camera off until Join (or until the visitor asks for
 * the preview). The name is remembered on this site (`localStorage` key `peercall:name`) unless
 * the `name` attribute sets it.
 *
 * In the call, the control bar's settings button opens a menu to switch camera, microphone and
 * speaker without interrupting the call (the others keep receiving; an unplugged device falls
 * back to another by itself), to switch between front and back camera on phones and tablets, and
 * to mirror or hide your own video (`no-device-switch` removes the menu). The screen share button
 * sends a screen, window or tab *in place of your camera* (`no-screen-share` removes it); the
 * browser's own "Stop sharing" ends it and the camera comes back. Everyone, you included, sees a
 * shared screen as a wide tile across the grid, uncropped: a tile whose video is larger than a
 * camera's 640 px is shown that way, since no signal other than the video itself reaches the others.
 *
 * In the room, each tile shows whether that person's microphone or camera is off, whether they
 * raised their hand and whether they are recording, as each participant reports it (the server
 * passes it on; it is for display, never a permission). The control bar can raise your hand,
 * show the participant list (raised hands first; Ask to mute and Remove for hosts) and record
 * the call in the browser: what the tiles show and everyone's sound, as a WebM file offered
 * for download when the recording stops (also when the call ends). Everyone sees who is
 * recording, and screen readers hear when someone raises a hand or starts recording.
 * `no-raise-hand`, `no-participants` and `no-recording` turn these off; their code is
 * downloaded only once the call is joined, the recorder's only when first used.
 *
 * In the room, a Chat button opens a panel (beside the tiles, or over them under 640 px wide)
 * with text chat, file sharing and reactions, all directly between the participants. The chat
 * shows who wrote what and when; people who join later get the messages sent before (up to
 * 100, from those already there). Files go to everyone, with progress and Cancel on both
 * sides, up to `max-file-size`, and arrive as Download links that work until the call ends.
 * Reactions float over the call for a few seconds. `no-chat`, `no-files` and `no-reactions`
 * turn each off (read at each join); with all three, there is no panel. The panel's code loads
 * only when a call with it joins.
 *
 * @summary Drop-in video call for a room.
 *
 * @attr {string} lang - Language of the element's text (`en`, `zh-CN`, …). Default: the closest ancestor's `lang`, else the browser's language.
 *
 * @slot - Content shown in the pre-join view, above the Join button.
 * @slot controls - Replaces the built-in control bar (use `<call-button>` elements).
 * @slot empty - Shown over the stage while you are alone in the room; replaces the default hint.
 *
 * @csspart base - The outer wrapper.
 * @csspart lobby - The pre-join view.
 * @csspart preview - The pre-join camera preview with its toggles, level meter and device pickers.
 * @csspart preview-video - The mirrored `<video>` of the preview.
 * @csspart preview-toggle - The pre-join microphone and camera toggles (pressed while on).
 * @csspart level-meter - The microphone level meter (role `meter`).
 * @csspart device-select - Each device picker (`<select>`: camera, microphone, speaker).
 * @csspart preview-button - The preview's Try again / Check camera and microphone button.
 * @csspart name-input - The display-name field of the pre-join view.
 * @csspart join-button - The Join (and Try again) button.
 * @csspart status - The joining / waiting / error / notice lines.
 * @csspart waiting - The view shown while knocking at a waiting room.
 * @csspart cancel-button - The Cancel button of the waiting view (stops knocking).
 * @csspart stage - The grid of participant tiles.
 * @csspart tile - Every participant tile (also `local-tile` or `remote-tile`).
 * @csspart local-tile - Your own tile.
 * @csspart remote-tile - Another participant's tile.
 * @csspart video - Every `<video>`.
 * @csspart name - The name label on a tile.
 * @csspart controls - The control bar.
 * @csspart control - Each built-in `<call-button>`.
 * @csspart control__base - The native button inside each built-in `<call-button>`.
 * @csspart knock-list - Hosts: the list of guests knocking at the waiting room.
 * @csspart knock - Hosts: one knocking guest (name, Admit, Decline).
 * @csspart admit-button - Hosts: a knock's Admit button.
 * @csspart decline-button - Hosts: a knock's Decline button.
 * @csspart tile-actions - Hosts: the buttons on another participant's tile.
 * @csspart tile-action - Hosts: each of those buttons (also `mute-button` or `remove-button`).
 * @csspart mute-button - Hosts: Ask to mute, on a tile.
 * @csspart remove-button - Hosts: Remove, on a tile.
 * @csspart remove-confirm - Hosts: the confirmation shown over a tile before removing its participant.
 * @csspart speaking - The tile of the active speaker (also `tile`).
 * @csspart featured - The tile the spotlight layout shows large (also `tile`).
 * @csspart pinned - The tile of the pinned participant (also `tile`).
 * @csspart pin-button - The pin toggle on each tile.
 * @csspart quality - A remote tile's connection indicator (`data-quality` is `good`, `fair` or `poor`).
 * @csspart view-control - The layout, full-screen and picture-in-picture toggles in the control bar (also `layout-button`, `fullscreen-button`, `pip-button`).
 * @csspart layout-button - The grid / spotlight toggle.
 * @csspart fullscreen-button - The full-screen toggle.
 * @csspart pip-button - The picture-in-picture toggle.
 * @csspart sound-prompt - Shown when the browser blocked the call's sound, with its button.
 * @csspart sound-button - The button that turns the call's sound on.
 * @csspart device-menu-button - In the call: the settings button that opens the device menu.
 * @csspart device-menu - In the call: the menu of device pickers (`device-select`), `switch-camera` and self-view options.
 * @csspart switch-camera - In the device menu: switches between front and back camera (where the device has both).
 * @csspart self-view-toggle - In the device menu: the "Mirror my video" and "Hide my video" checkboxes.
 * @csspart tile-status - The row of status icons on a tile.
 * @csspart status-icon - Each status icon (also `hand-icon`, `recording-icon`, `muted-icon` or `camera-off-icon`).
 * @csspart participants - The participant list (a `<call-participants>`; style inside it with `::part(participants)` only).
 * @csspart recording - The badge with the elapsed time while you record.
 * @csspart recording-file - The download offered after a recording.
 * @csspart download - Its download link.
 * @csspart dismiss-button - Its Dismiss button (lets the recording go from memory).
 * @csspart chat - The chat, files and reactions layer (a `<call-chat>` laid over the call: the panel and the floating reactions).
 * @csspart chat-panel - The chat panel.
 * @csspart chat-title - Its heading.
 * @csspart chat-close-button - Its close button.
 * @csspart chat-reactions - The row of reaction buttons.
 * @csspart chat-reaction-button - Each reaction button.
 * @csspart chat-log - The list of messages and files.
 * @csspart chat-message - One message.
 * @csspart chat-message-name - The sender's name of a message.
 * @csspart chat-message-text - The text of a message.
 * @csspart chat-file - One file transfer in the list.
 * @csspart chat-file-name - Its file name.
 * @csspart chat-file-progress - Its `<progress>` while under way.
 * @csspart chat-file-cancel - Its Cancel button while under way.
 * @csspart chat-file-download - The Download link of a received file.
 * @csspart chat-error - Why the last message, file or reaction could not be sent.
 * @csspart chat-composer - The form at the bottom of the panel.
 * @csspart chat-message-input - The message field.
 * @csspart chat-file-button - The Send a file button.
 * @csspart chat-send-button - The Send button.
 * @csspart chat-floating-reactions - Where reactions float over the call.
 *
 * @cssprop [--video-call-background=#f1f3f4] - Background of the whole call (dark theme: `#202124`).
 * @cssprop [--video-call-color=#202124] - Text colour (dark theme: `#e8eaed`).
 * @cssprop [--video-call-tile-background=#dadce0] - Background of a tile without video (dark theme: `#3c4043`).
 * @cssprop [--video-call-gap=8px] - Space between tiles and around the call (half of it in the compact layout, under 400 px wide).
 * @cssprop [--video-call-radius=12px] - Corner radius of the call (tiles use 4 px less).
 * @cssprop [--video-call-tile-aspect-ratio=16 / 9] - Shape of each tile.
 * @cssprop [--video-call-tile-min-width=220px] - Narrowest tile the grid makes (px, rem or em); below it the tiles stack and the stage scrolls.
 * @cssprop [--video-call-stage-height=max(240px, min(60vh, 56.25cqw))] - Height of the tile area when the page gives the element no height (with one, the tiles fill it).
 * @cssprop [--video-call-speaker-color=#1a73e8] - Frame around the active speaker's tile (default: the accent colour).
 * @cssprop [--video-call-font=system-ui, sans-serif] - Font family.
 * @cssprop [--video-call-accent-color=#1a73e8] - Join button and spinner colour.
 * @cssprop [--video-call-accent-contrast-color=#fff] - Text on the accent colour.
 * @cssprop [--video-call-error-color=#c5221f] - Error text colour (dark theme: `#f28b82`).
 * @cssprop [--video-call-hand-color=#f9ab00] - The raised-hand icon.
 * @cssprop [--video-call-recording-color=#ea4335] - The recording icon and dot.
 * @cssprop [--video-call-focus-ring=2px solid #1a73e8] - Keyboard focus outline of the field and buttons (dark theme: `2px solid #8ab4f8`).
 * @cssprop [--video-call-chat-width=20rem] - Width of the chat panel beside the tiles (from 640 px wide).
 * @cssprop [--video-call-chat-background] - Background of the chat panel (default: the call's background).
 *
 * @cssstate idle - Not in a room.
 * @cssstate previewing - The pre-join view shows the camera preview.
 * @cssstate joining - Getting media and connecting.
 * @cssstate waiting - Knocking at a token room's waiting room until a host lets us in.
 * @cssstate joined - In the room.
 * @cssstate reconnecting - In the room with media still flowing, while the connection to the server is resumed.
 * @cssstate leaving - Hanging up.
 * @cssstate error - Joining failed or the call was lost; the element shows why.
 * @cssstate host - In the room as a host of a token room (host controls are shown).
 * @cssstate locked - A host's room is locked.
 *
 * @fires {CallStateChangeEvent} call-state-change - `state` changed; `detail: { state, previous }`.
 * @fires {CallJoinedEvent} call-joined - In the room with media ready; `detail: { room, peerId }`.
 * @fires {CallLeftEvent} call-left - Left the room; `detail: { room, reason }`.
 * @fires {CallParticipantJoinedEvent} call-participant-joined - Someone else joined; `detail: { peerId, name }`.
 * @fires {CallParticipantLeftEvent} call-participant-left - Someone else left; `detail: { peerId, name }`.
 * @fires {CallMediaChangeEvent} call-media-change - Your microphone or camera was turned on or off; `detail: { audio, video }`.
 * @fires {CallErrorEvent} call-error - Something failed; `detail: { type, message, cause }`.
 * @fires {CallKnockEvent} call-knock - Hosts: a guest started knocking at the waiting room; `detail: { id, name }`.
 * @fires {CallMutedByHostEvent} call-muted-by-host - A host asked you to mute and your microphone was turned off.
 * @fires {CallActiveSpeakerChangeEvent} call-active-speaker-change - The highlight moved to another speaker; `detail: { peerId, previous }`.
 * @fires {CallQualityChangeEvent} call-quality-change - A participant's connection turned `good`, `fair` or `poor`; `detail: { peerId, quality, previous, stats }`.
 * @fires {CallLayoutChangeEvent} call-layout-change - The user switched layout or pinned or unpinned someone; `detail: { layout, pinned }`.
 * @fires {CallDeviceChangeEvent} call-device-change - In the call, the camera, microphone or speaker changed (chosen, or a fallback for an unplugged one); `detail: { kind, deviceId, fallback }`.
 * @fires {CallScreenShareChangeEvent} call-screen-share-change - You started or stopped sharing your screen; `detail: { sharing }`.
 * @fires {CallHandChangeEvent} call-hand-change - You raised or lowered your hand; `detail: { raised }`.
 * @fires {CallRecordingChangeEvent} call-recording-change - Your recording started or stopped; `detail: { recording, file }` (`file`: the WebM Blob, once stopped).
 * @fires {CallParticipantChangeEvent} call-participant-change - Someone else's microphone, camera, hand or recording changed; `detail: { peerId, name, status, previous }`.
 * @fires {CallChatMessageEvent} call-chat-message - A chat message, yours or someone else's (also each one handed over from before you joined, with `history: true`); `detail: { id, from, name, text, time, local, history }`. Render `name` and `text` as text.
 * @fires {CallFileProgressEvent} call-file-progress - A file transfer to or from one participant started, moved on (every 2 %) or ended; `detail: { id, direction, peerId, peerName, fileName, size, type, bytes, status }`.
 * @fires {CallFileReceivedEvent} call-file-received - A file arrived whole; `detail` as above plus `url`, a `blob:` URL revoked when the call ends.
 * @fires {CallReactionEvent} call-reaction - Someone (or you, `local`) sent a reaction; `detail: { from, name, emoji, local }`.
 * @fires {CallPreviewChangeEvent} call-preview-change - The pre-join preview started, showed, failed or stopped; `detail: { status, failure }`.
 */
export class VideoCall extends LitElement {
  static override styles = [hostStyles, videoCallStyles];

  private readonly remoteVideos = new RemoteVideos();
  private readonly call = new CallController(this, (participant, left) =>
    left ? this.remoteVideos.remove(participant.peerId) : this.remoteVideos.update(participant),
  );
  private readonly lobby = new LobbyController(this, () => this.showLevel());
  private readonly standby = new StandbyController(this);
  /** The name used last on this site. */
  private readonly rememberedName = loadName();
  /** The visitor asked for the preview (with `no-preview`, or after leaving). */
  @state() private previewRequested = false;
  /** A join waiting for the preview's permission prompt. */
  private joinStarting: Promise<void> | null = null;
  private readonly locale = new LocaleController(this);
  private readonly internals = this.attachInternals();
  private readonly provider: ContextProvider<typeof callContext>;
  /** What the provided handle was made from, so buttons only re-render when something changed. */
  private handleKey = '';
  private announcementTimer: ReturnType<typeof setTimeout> | undefined;

  /** The name typed into the pre-join view, when the user changed it. */
  @state() private draftName: string | null = null;
  /** True after the user left, so the pre-join view can say so. */
  @state() private hasLeft = false;
  /** What the live region is saying: others joining and leaving, and our own join. */
  @state() private announcements: string[] = [];
  /** A host turned our microphone off, and we have not turned it back on. */
  @state() private mutedByHost = false;
  /** Hosts: the participant whose removal is being confirmed. */
  @state() private confirmingRemoval: string | null = null;
  /** Hosts: the outcome of the last host control, for a few seconds. */
  @state() private controlStatus: { text: string; error: boolean } | null = null;
  private controlStatusTimer: ReturnType<typeof setTimeout> | undefined;
  /** Joining or leaving is under way and has gone on for SPINNER_DELAY_MS. */
  @state() private slowProgress = false;
  private slowProgressTimer: ReturnType<typeof setTimeout> | undefined;
  /** Host controls under way, so that a double click does not send one twice. */
  private readonly pendingControls = new Set<string>();
  /** The token of the last join, to tell whether a new one could mend a refusal. */
  private tokenAtJoin = '';
  /** The lock state last shown to a host, to announce changes. */
  private shownLock: boolean | null = null;
  /** Focus was in the host UI when its target went away (an admitted knock, a removed tile). */
  private refocusAfterControl = false;
  private lastRenderedState: CallState = 'idle';
  /** Layouts, monitors, full screen and picture-in-picture: a chunk loaded at the first join. */
  @state() private stage: CallStage | null = null;
  private stageLoading: Promise<unknown> | null = null;
  /** The in-call device menu and presentation view, loaded once joined. */
  private deviceMenu: DeviceMenu | null = null;
  private deviceMenuLoading: Promise<unknown> | null = null;
  /** Hand, participant list, recording and tile icons: loaded on the first join. */
  private features?: ParticipantFeatures;
  private featuresLoading?: Promise<unknown>;
  /** The chat panel, once its chunk has defined it (it tells us when it is there). */
  @query('call-chat:defined') private chatPanel!: CallChat | null;

  /** The room to join: 1–64 letters, digits, `_` or `-`. Changing it during a call moves the call to the new room. */
  @property({ reflect: true }) room = '';

  /**
   * Base URL of the peercall server. Defaults to the directory the widget script was loaded from,
   * so `<script src="https://calls.example.com/video-call.js">` needs nothing else.
   */
  @property() server = '';

  /** Your display name, shown to the others (the pre-join view lets the user change it). */
  @property() name = '';

  /** Join as soon as the element is on the page, without the pre-join view. */
  @property({ type: Boolean, reflect: true }) autojoin = false;

  /** Join with the microphone off. */
  @property({ type: Boolean, reflect: true, attribute: 'no-audio' }) noAudio = false;

  /** Join with the camera off. */
  @property({ type: Boolean, reflect: true, attribute: 'no-video' }) noVideo = false;

  /**
   * No camera preview in the pre-join view: the browser asks for camera and microphone only at
   * Join (or when the visitor presses "Check camera and microphone").
   */
  @property({ type: Boolean, reflect: true, attribute: 'no-preview' }) noPreview = false;

  /**
   * Join token for token rooms: a JWT your site's backend signs for the signed-in visitor with
   * the server's token secret (claims `room`, `role`, `exp`, optional `name`, `jti`). It is a
   * credential: set it from your backend's answer, not in a shareable URL. Read at each join; not
   * reflected to the attribute.
   */
  @property() token = '';

  /**
   * Send media only through the server's TURN relays (`iceTransportPolicy: 'relay'`), so
   * participants never learn each other's IP addresses. Needs a server with `--turn-urls`.
   */
  @property({ type: Boolean, reflect: true, attribute: 'relay-only' }) relayOnly = false;

  /**
   * `grid` fits every tile to the call's area; `spotlight` shows one participant large (the
   * pinned one, else the one who spoke last) and the others in a strip. Pinning someone from
   * their tile switches to `spotlight`.
   */
  @property({ reflect: true }) layout: 'grid' | 'spotlight' = 'grid';

  /** No full-screen button (it is also hidden where the browser or the frame does not allow full screen). */
  @property({ type: Boolean, reflect: true, attribute: 'no-fullscreen' }) noFullscreen = false;

  /** No picture-in-picture button (also hidden where the browser has none). */
  @property({ type: Boolean, reflect: true, attribute: 'no-pip' }) noPip = false;

  /** Do not detect or highlight who is speaking. */
  @property({ type: Boolean, reflect: true, attribute: 'no-active-speaker' }) noActiveSpeaker = false;

  /** No connection-quality indicators (nor `call-quality-change` events). */
  @property({ type: Boolean, reflect: true, attribute: 'no-quality' }) noQuality = false;
  /** No screen share button, and `toggleScreenShare()` does nothing. */
  @property({ type: Boolean, reflect: true, attribute: 'no-screen-share' }) noScreenShare = false;

  /** No in-call device menu (camera, microphone, speaker, self-view); an unplugged device still falls back to another. */
  @property({ type: Boolean, reflect: true, attribute: 'no-device-switch' }) noDeviceSwitch = false;
  /** No text chat (read at each join). */
  @property({ type: Boolean, reflect: true, attribute: 'no-chat' }) noChat = false;

  /** No file sharing (read at each join). */
  @property({ type: Boolean, reflect: true, attribute: 'no-files' }) noFiles = false;

  /** No reactions (read at each join). */
  @property({ type: Boolean, reflect: true, attribute: 'no-reactions' }) noReactions = false;

  /** Largest file, in bytes, that can be sent or is accepted (default 100 MB; read at each join). */
  @property({ type: Number, attribute: 'max-file-size' }) maxFileSize = 104_857_600;

  /** No participant list (nor its button). */
  @property({ type: Boolean, reflect: true, attribute: 'no-participants' }) noParticipants = false;

  /** No Raise hand button; others' raised hands still show. */
  @property({ type: Boolean, reflect: true, attribute: 'no-raise-hand' }) noRaiseHand = false;

  /** No recording (nor its button); others' recording still shows. */
  @property({ type: Boolean, reflect: true, attribute: 'no-recording' }) noRecording = false;

  /** `light` or `dark` forces a colour scheme (linked `<call-button>`s follow); `auto` follows the visitor's system setting. */
  @property() theme: Theme = 'auto';

  /** Replaces any built-in text, error messages included: e.g. `{ join: 'Enter', errors: { 'room-full': '…' } }`. */
  @property({ attribute: false }) strings: StringOverrides = {};

  constructor() {
    super();
    // Created here rather than as a field so that the first handle already sees every property's default.
    this.provider = new ContextProvider(this, { context: callContext, initialValue: this.createHandle() });
    this.addEventListener('call-joined', () => this.announce(this.locale.strings.youJoined));
    this.addEventListener('call-participant-joined', ({ detail }) =>
      this.announce(this.locale.strings.participantJoined(detail.name)),
    );
    this.addEventListener('call-participant-left', ({ detail }) =>
      this.announce(this.locale.strings.participantLeft(detail.name)),
    );
    this.addEventListener('call-knock', ({ detail }: CallKnockEvent) =>
      this.announce(this.locale.strings.knocking(detail.name)),
    );
    this.addEventListener('call-muted-by-host', () => {
      this.mutedByHost = true;
      this.announce(this.locale.strings.mutedByHost);
    });
    this.addEventListener('call-state-change', ({ detail }) => {
      if (detail.state === 'waiting') this.announce(this.locale.strings.waitingForHost);
      if (detail.state === 'idle' || detail.state === 'error' || detail.state === 'joining') this.resetHostView();
    });
  }

  /** Where the call is: `idle`, `joining`, `waiting`, `joined`, `reconnecting`, `leaving` or `error`. */
  get state(): CallState {
    return this.call.state;
  }

  /** Everyone in the call, you first: `{ peerId, name, local, stream }`. Empty unless joined. */
  get participants(): readonly Participant[] {
    return this.call.participants;
  }

  /**
   * Your role and, for hosts, the room's lock and who is knocking: `{ role, locked, knocking }`
   * with `knocking` a list of `{ id, name }`. `role` is `host` only in token rooms, with a host's token.
   */
  get roomControl(): RoomControlState {
    return this.call.roomControl;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.autojoin && this.state === 'idle' && this.hasUpdated) void this.join().catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.announcementTimer);
    clearTimeout(this.controlStatusTimer);
    this.stopProgressTimer();
    this.announcements = [];
    this.controlStatus = null;
  }

  /**
   * Joins `room`, with the pre-join preview's camera and microphone when it has them. Resolves
   * once in the room; rejects with the failure (also fired as `call-error`).
   */
  join(): Promise<void> {
    // The preview's permission prompt is still open: join once the visitor has answered it.
    if (this.lobby.status === 'starting') {
      this.joinStarting ??= this.lobby.settled().finally(() => (this.joinStarting = null));
      return this.joinStarting.then(() => this.join());
    }
    this.hasLeft = false;
    this.previewRequested = false;
    this.tokenAtJoin = this.token;
    const name = this.draftName ?? (this.name || this.rememberedName);
    const server = this.server || SCRIPT_SERVER;
    const starting = this.state === 'idle' || this.state === 'error';
    const data = { chat: !this.noChat, files: !this.noFiles, reactions: !this.noReactions, maxFileSize: this.maxFileSize };
    const withData = this.usesData;
    // The join's message goes out within this call (over a standby socket): everything else the
    // click does comes after it, while the server answers, not ahead of it.
    const joined = this.call.join({
      server,
      room: this.room,
      name,
      audio: this.lobby.audio,
      video: this.lobby.video,
      token: this.token,
      relayOnly: this.relayOnly,
      // Only a join that starts now takes the preview; one under way already has its media.
      localStream: starting ? this.lobby.take() : null,
      standby: starting ? this.standby.take(server) : null,
      data: withData ? data : undefined,
    });
    if (starting) this.releasePreviewVideo();
    if (this.draftName !== null) saveName(name);
    this.loadInCallParts();
    // The panel is a separate chunk, fetched while joining so that it is there with the call.
    if (withData) void loadCallChat();
    return joined;
  }

  /** Leaves the room and releases camera and microphone. */
  async leave(): Promise<void> {
    // Cancelling a knock is not leaving a call: nobody saw us.
    const wasInCall = this.state !== 'idle' && this.state !== 'error' && this.state !== 'waiting';
    // Set first, so that the pre-join view, back when the call ends, does not turn the camera on again.
    if (wasInCall) this.hasLeft = true;
    await this.call.leave('user');
  }

  /**
   * A host's control of the room: `lock` or `unlock` it, `admit` or `decline` a knock (target:
   * its `id`), ask a participant to `mute` or `remove` them (target: their `peerId`). Hosts of
   * token rooms only; rejects with the server's refusal, which the element also shows for a while.
   */
  async control(action: HostAction, target?: string): Promise<void> {
    try {
      await this.call.control(action, target);
    } catch (error) {
      this.showControlStatus(this.controlFailureText(error), true);
      throw error;
    }
  }

  /** Turns the microphone on or off; `force` sets it instead of flipping it. */
  toggleAudio(force?: boolean): void {
    // Before joining, this is the pre-join view's "join muted" choice.
    if (this.state === 'idle') this.lobby.setEnabled('audio', force ?? !this.lobby.audio);
    else this.call.toggle('audio', force);
  }

  /** Turns the camera on or off; `force` sets it instead of flipping it. */
  toggleVideo(force?: boolean): void {
    if (this.state === 'idle') this.lobby.setEnabled('video', force ?? !this.lobby.video);
    else this.call.toggle('video', force);
  }

  /**
   * Shares a screen, window or tab in place of your camera, or stops; `force` sets it instead of
   * flipping it. Rejects when the visitor cancels the browser's picker.
   */
  async toggleScreenShare(force?: boolean): Promise<void> {
    const call = this.call.active;
    if (call && !this.noScreenShare) await (force ?? !call.screenSharing ? call.startScreenShare() : call.stopScreenShare());
  }

  // The joined view and a newcomer's tile render after our offer or answer has gone out, not before.
  protected override scheduleUpdate(): void | Promise<unknown> {
    const hold = negotiationHold(this.call.peerConnections.values());
    return hold ? hold.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  // Joining here rather than in updated() folds the resulting state change into this same render.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('noAudio')) this.lobby.setEnabled('audio', !this.noAudio);
    if (changed.has('noVideo')) this.lobby.setEnabled('video', !this.noVideo);
    const roomChanged = changed.has('room') && changed.get('room') !== undefined;
    if (roomChanged && this.state !== 'idle' && this.state !== 'error') {
      void this.call.leave('user').then(() => this.join().catch(() => {}));
    } else if ((changed.has('autojoin') || changed.has('room')) && this.autojoin && this.room && this.state === 'idle') {
      void this.join().catch(() => {});
    }
    if (this.mutedByHost && this.call.audioEnabled) this.mutedByHost = false;
    this.announceLockChange();
    // Here rather than in updated(), so the "starting" view is part of this render.
    this.syncPreview();
    this.provideHandle();
    this.followProgress();
  }

  protected override updated(): void {
    this.applySpeaker();
    this.showLevel();
    this.reflectStateToCss();
    this.restoreFocus();
    this.lastRenderedState = this.state;
  }

  /**
   * The joined view's parts that are chunks of their own (the lobby fetched them once idle):
   * created while the join is under way, so that the first joined render has every control. Made
   * once the call was in, the device menu and the participant features came a render later and
   * moved the Leave button along the bar under the pointer.
   */
  private loadInCallParts(): void {
    this.stageLoading ??= loadCallStage().then(({ CallStage }) => (this.stage = new CallStage(this, this.call, this.locale)));
    this.deviceMenuLoading ??= loadDeviceMenu().then(
      ({ DeviceMenu }) => (this.deviceMenu = new DeviceMenu(this, this.call, this.lobby, this.locale, (text) => this.announce(text))),
      // Without the chunk (offline) the call goes on without its menu.
      () => {},
    );
    this.featuresLoading ??= loadParticipantFeatures().then(
      ({ ParticipantFeatures }) =>
        (this.features = new ParticipantFeatures(
          this,
          this.call,
          this.locale,
          (text) => this.announce(text),
          (action, { peerId, name }) =>
            action === 'mute' ? this.runControl(action, peerId, this.locale.strings.askedToMute(name)) : this.askRemoval(peerId),
        )),
      // Likewise without these features.
      () => {},
    );
  }

  /**
   * Empties the preview's <video> as its stream goes to the call. The element leaves the page
   * with the joined view, but went on holding the camera's stream until it was garbage-collected:
   * in 7 of 10 runs of a 4-page mesh every page's video then reached the others only after 3 s.
   */
  private releasePreviewVideo(): void {
    const video = this.renderRoot.querySelector<HTMLVideoElement>('[part~="preview-video"]');
    if (video) video.srcObject = null;
  }

  /** Starts the spinner's delay when joining or leaving starts, and ends it with them. */
  private followProgress(): void {
    const busy = this.state === 'joining' || this.state === 'leaving';
    if (!busy) this.stopProgressTimer();
    else if (!this.slowProgress && this.slowProgressTimer === undefined) {
      this.slowProgressTimer = setTimeout(() => (this.slowProgress = true), SPINNER_DELAY_MS);
    }
  }

  private stopProgressTimer(): void {
    clearTimeout(this.slowProgressTimer);
    this.slowProgressTimer = undefined;
    this.slowProgress = false;
  }

  /** Moves the microphone meter to the lobby's level, also between renders. */
  private showLevel(): void {
    const meter = this.renderRoot.querySelector<HTMLElement>('[part~="level-meter"]');
    if (!meter) return;
    const level = this.lobby.audio ? this.lobby.level : 0;
    meter.setAttribute('aria-valuenow', String(level * 5));
    // Through the CSSOM, which a page's Content-Security-Policy allows; a style attribute it may block.
    meter.querySelector<HTMLElement>('.meter__bar')?.style.setProperty('transform', `scaleX(${level / 20})`);
  }

  /** Whether a call opens data connections: for chat, files or reactions. */
  private get usesData(): boolean {
    return !this.noChat || !this.noFiles || !this.noReactions;
  }

  /** Shows the preview while the pre-join view is up (unless `no-preview`). */
  private syncPreview(): void {
    // A removed element still renders once more; it must not take the camera again.
    const inLobby = this.isConnected && this.state === 'idle' && this.room !== '' && !this.autojoin && !isPageUnloading();
    this.standby.sync(inLobby ? this.server || SCRIPT_SERVER : null, this.lobby.status === 'live' ? this.lobby.stream : null);
    if (inLobby) warmUpForCall(this.usesData);
    const wanted = inLobby && (this.previewRequested || (!this.noPreview && !this.hasLeft));
    if (wanted && this.lobby.status === 'off') void this.lobby.start();
    else if (!inLobby && this.isConnected && this.state === 'idle' && this.lobby.status !== 'off') this.lobby.stop();
  }

  /** Plays the call's sound on the speaker chosen in the pre-join view. */
  private applySpeaker(): void {
    const speaker = this.lobby.speakerId;
    if (!speaker) return;
    for (const video of this.renderRoot.querySelectorAll<HTMLVideoElement>('[part~="remote-tile"] video')) {
      if (video.sinkId !== speaker) void video.setSinkId?.(speaker).catch(() => {});
    }
  }

  /** Keeps keyboard users in place when what they were on went away or was hidden. */
  private restoreFocus(): void {
    const root = this.renderRoot as ShadowRoot;
    const active = root.activeElement as HTMLElement | null;
    const lost = !active || !active.isConnected || active.closest('[hidden]') !== null;
    if (this.state === 'waiting' && this.lastRenderedState !== 'waiting') {
      // The Join button the user pressed is gone: the Cancel button is the one thing to do now.
      if (lost && (document.activeElement === this || document.activeElement === document.body)) {
        root.querySelector<HTMLElement>('[part~="cancel-button"]')?.focus();
      }
      return;
    }
    if (!this.refocusAfterControl || !lost) return;
    if (active && root.contains(active) && active.isConnected) return;
    this.refocusAfterControl = false;
    const next =
      root.querySelector<HTMLElement>('[part~="admit-button"]') ??
      root.querySelector<HTMLElement>('[part~="controls"] call-button') ??
      this.querySelector<HTMLElement>('[slot="controls"]');
    next?.focus();
  }

  private announceLockChange(): void {
    const { role, locked } = this.call.roomControl;
    const shown = role === 'host' ? locked : null;
    if (this.shownLock !== null && shown !== null && shown !== this.shownLock) {
      this.announce(shown ? this.locale.strings.roomLocked : this.locale.strings.roomUnlocked);
    }
    this.shownLock = shown;
  }

  private reflectStateToCss(): void {
    const states = this.internals.states;
    if (!states) return;
    for (const state of ['idle', 'joining', 'waiting', 'joined', 'reconnecting', 'leaving', 'error'] as const) {
      if (state === this.state) states.add(state);
      else states.delete(state);
    }
    if (this.state === 'idle' && this.lobby.status === 'live') states.add('previewing');
    else states.delete('previewing');
    const { role, locked } = this.call.roomControl;
    if (role === 'host') states.add('host');
    else states.delete('host');
    if (role === 'host' && locked) states.add('locked');
    else states.delete('locked');
  }

  private provideHandle(): void {
    const handle = this.createHandle();
    const key = [
      handle.state,
      handle.audio,
      handle.video,
      handle.missing.join(),
      handle.theme,
      handle.role,
      handle.locked,
      handle.screenShare,
      handle.hand,
      handle.participants,
      handle.recording,
      handle.chat?.open,
      handle.chat?.unread,
    ].join('|');
    if (key === this.handleKey) return;
    this.handleKey = key;
    this.provider.setValue(handle);
  }

  private createHandle(): CallHandle {
    return {
      state: this.state,
      audio: this.call.audioEnabled,
      video: this.call.videoEnabled,
      missing: this.call.missingMedia,
      theme: this.theme,
      role: this.call.roomControl.role,
      locked: this.call.roomControl.locked,
      // Only a camera track can be swapped for a screen (PeerJS cannot add a track to a running call).
      screenShare:
        this.noScreenShare || !navigator.mediaDevices?.getDisplayMedia || this.call.missingMedia.includes('video')
          ? null
          : !!this.call.active?.screenSharing,
      ...this.features?.state,
      chat: this.chatPanel,
      request: (action) => this.request(action),
    };
  }

  private request(action: CallButtonAction): void {
    switch (action) {
      case 'join':
        void this.join().catch(() => {});
        break;
      case 'leave':
        void this.leave();
        break;
      case 'toggle-audio':
        this.toggleAudio();
        break;
      case 'toggle-video':
        this.toggleVideo();
        break;
      case 'toggle-lock':
        void this.runControl(this.call.roomControl.locked ? 'unlock' : 'lock');
        break;
      case 'toggle-screen-share':
        // A cancelled picker is the visitor's answer, not a failure.
        void this.toggleScreenShare().catch(() => {});
        break;
      case 'toggle-chat':
        this.chatPanel?.toggle();
        break;
      default:
        this.features?.request(action);
    }
  }

  /** A host control from the element's own buttons: failures are shown, not thrown. */
  private async runControl(action: HostAction, target?: string, done?: string): Promise<void> {
    const key = `${action} ${target ?? ''}`;
    if (this.pendingControls.has(key)) return;
    this.pendingControls.add(key);
    try {
      await this.control(action, target);
      if (done) this.showControlStatus(done, false);
    } catch {
      // Shown by control().
    } finally {
      this.pendingControls.delete(key);
    }
  }

  private showControlStatus(text: string, error: boolean): void {
    this.controlStatus = { text, error };
    this.announce(text);
    clearTimeout(this.controlStatusTimer);
    this.controlStatusTimer = setTimeout(() => (this.controlStatus = null), CONTROL_STATUS_MS);
  }

  private controlFailureText(error: unknown): string {
    const strings = this.locale.strings;
    const type = error instanceof CallError ? error.type : null;
    if (type === 'rate-limited' || type === 'server-unreachable') return strings.errors[type];
    return strings.hostActionFailed;
  }

  /** Drops what belonged to the last session's host view and notices. */
  private resetHostView(): void {
    this.mutedByHost = false;
    this.confirmingRemoval = null;
    this.refocusAfterControl = false;
    this.shownLock = null;
    clearTimeout(this.controlStatusTimer);
    this.controlStatus = null;
  }

  private handleKnock(action: 'admit' | 'decline', id: string): void {
    this.refocusAfterControl = true;
    void this.runControl(action, id);
  }

  private async askRemoval(peerId: string): Promise<void> {
    this.confirmingRemoval = peerId;
    await this.updateComplete;
    // The safe choice first: Enter on a focused "Remove" would undo a person's call at once.
    this.renderRoot.querySelector<HTMLElement>('[part~="remove-confirm"] .cancel')?.focus();
  }

  private async cancelRemoval(): Promise<void> {
    const peerId = this.confirmingRemoval;
    this.confirmingRemoval = null;
    await this.updateComplete;
    this.renderRoot
      .querySelector<HTMLElement>(`[data-participant="${CSS.escape(peerId ?? '')}"] [part~="remove-button"]`)
      ?.focus();
  }

  private confirmRemoval(peerId: string): void {
    this.confirmingRemoval = null;
    this.refocusAfterControl = true;
    void this.runControl('remove', peerId);
  }

  private handleConfirmKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    void this.cancelRemoval();
  }

  private announce(text: string): void {
    this.announcements = [...this.announcements, text];
    clearTimeout(this.announcementTimer);
    // Emptied after a pause, so that the next message is read even if it repeats an earlier one.
    this.announcementTimer = setTimeout(() => (this.announcements = []), ANNOUNCEMENT_MS);
  }

  private handleJoinSubmit(event: SubmitEvent): void {
    event.preventDefault();
    void this.join().catch(() => {});
  }

  private handleNameInput(event: InputEvent): void {
    this.draftName = (event.target as HTMLInputElement).value;
  }

  override render() {
    const state = this.state;
    return html`<div
      part="base"
      class=${classMap({
        call: true,
        [`call--${state}`]: true,
        'call--light': this.theme === 'light',
        'call--dark': this.theme === 'dark',
      })}
      lang=${this.locale.lang}
    >
      ${this.renderLobby(state === 'idle')} ${this.renderProgress(state)} ${this.renderWaiting(state === 'waiting')}
      ${this.renderError()} ${this.renderCall(state === 'joined' || state === 'reconnecting')}
      ${this.features?.renderRecording()}
      <div class="announcer" role="status" aria-live="polite" aria-atomic="false">
        ${this.announcements.map((text) => html`<p>${text}</p>`)}
      </div>
    </div>`;
  }

  private renderLobby(visible: boolean) {
    const strings = this.locale.strings;
    const hasRoom = this.room !== '';
    return html`<div part="lobby" class="panel lobby" ?hidden=${!visible}>
      <slot></slot>
      <p class="panel__title">${hasRoom ? strings.room(this.room) : nothing}</p>
      ${this.hasLeft ? html`<p part="status" class="status" role="status">${strings.left}</p>` : nothing}
      ${hasRoom && visible ? this.renderPreview() : nothing}
      ${hasRoom
        ? html`<form class="lobby__form" @submit=${this.handleJoinSubmit}>
            <label class="lobby__field">
              ${strings.yourName}
              <input
                part="name-input"
                class="lobby__input"
                name="name"
                autocomplete="nickname"
                maxlength="64"
                placeholder=${strings.namePlaceholder}
                .value=${this.draftName ?? (this.name || this.rememberedName)}
                @input=${this.handleNameInput}
              />
            </label>
            <button part="join-button" class="primary-button" type="submit">${strings.join}</button>
          </form>`
        : html`<p part="status" class="status status--error" role="alert">${strings.noRoom}</p>`}
    </div>`;
  }

  private renderPreview() {
    const strings = this.locale.strings;
    const lobby = this.lobby;
    const { status, failure } = lobby;
    const isLive = status === 'live';
    const stream = isLive ? lobby.stream : null;
    const showsVideo = !!stream?.getVideoTracks().length && lobby.video;
    if (status === 'off') {
      return html`<div part="preview" class="preview preview--off">
        <button part="preview-button" class="secondary-button" type="button" @click=${() => (this.previewRequested = true)}>
          ${strings.checkDevices}
        </button>
      </div>`;
    }
    // A failed preview, or a device switch that failed while the old device goes on working.
    const shown = status === 'failed' ? failure : isLive ? (lobby.failureError?.failure ?? null) : null;
    const failureText = !shown
      ? ''
      : shown === 'denied'
        ? strings.previewDenied(lobby.browser)
        : shown === 'denied-by-system'
          ? strings.previewDeniedBySystem
          : shown === 'busy'
            ? strings.previewBusy
            : shown === 'insecure'
              ? strings.errors['insecure-context']
              : shown === 'unsupported'
                ? strings.errors['media-unsupported']
                : strings.previewNotFound;
    const canRetry = status === 'failed' && failure !== 'insecure' && failure !== 'unsupported';
    const missing = isLive ? lobby.missing : [];
    return html`<div part="preview" class="preview" data-status=${status} data-failure=${failure ?? nothing}>
      <div class="preview__frame">
        <video
          part="preview-video"
          class="preview__video"
          autoplay
          playsinline
          .muted=${true}
          .srcObject=${
            // live(): Lit sets an object on every render, and every assignment of srcObject, even of
            // the same stream, reloads the video.
            live(stream)
          }
          ?hidden=${!showsVideo}
        ></video>
        ${showsVideo
          ? nothing
          : html`<span class="preview__placeholder"
              >${status === 'starting' ? strings.previewStarting : isLive ? strings.cameraIsOff : ''}</span
            >`}
      </div>
      ${status === 'starting' && lobby.promptSlow
        ? html`<p part="status" class="status" role="status">${strings.previewPromptHelp}</p>`
        : nothing}
      ${failureText ? html`<p part="status" class="status status--error" role="alert">${failureText}</p>` : nothing}
      ${canRetry
        ? html`<button part="preview-button" class="secondary-button" type="button" @click=${() => void lobby.start()}>
            ${strings.tryAgain}
          </button>`
        : nothing}
      ${missing.length
        ? html`<p part="status" class="status" role="status">
            ${missing.includes('video') ? strings.previewNoCamera : strings.previewNoMicrophone}
          </p>`
        : nothing}
      ${status === 'starting' || isLive
        ? // Held open while the camera starts, so the Join button below does not jump under the pointer.
          html`<div class="preview__controls">${isLive ? this.renderDeviceControls(stream!) : nothing}</div>`
        : nothing}
    </div>`;
  }

  private renderDeviceControls(stream: MediaStream) {
    const strings = this.locale.strings;
    const lobby = this.lobby;
    const hasAudio = stream.getAudioTracks().length > 0;
    const hasVideo = stream.getVideoTracks().length > 0;
    const toggle = (kind: MediaKind, on: boolean, label: string) =>
      html`<button
        part="preview-toggle"
        class="icon-button preview__toggle ${on ? '' : 'preview__toggle--off'}"
        type="button"
        aria-pressed=${on ? 'true' : 'false'}
        aria-label=${label}
        title=${label}
        data-kind=${kind}
        @click=${() => lobby.setEnabled(kind, !on)}
      >
        ${kind === 'audio' ? (on ? icons.micOn : icons.micOff) : on ? icons.camOn : icons.camOff}
      </button>`;
    const picker = (kind: 'videoinput' | 'audioinput' | 'audiooutput', label: string, selected: string) =>
      kind === 'audiooutput' && !lobby.speakerSelectable
        ? nothing
        : renderDeviceSelect(kind, label, lobby.devices[kind], selected, (id) => {
            if (kind === 'audiooutput') lobby.selectSpeaker(id);
            else void lobby.selectDevice(kind === 'audioinput' ? 'audio' : 'video', id);
          });
    return html`<div class="preview__bar">
        ${hasAudio ? toggle('audio', lobby.audio, strings.microphone) : nothing}
        ${hasVideo ? toggle('video', lobby.video, strings.camera) : nothing}
        ${hasAudio
          ? html`<div
              part="level-meter"
              class="meter"
              role="meter"
              aria-label=${strings.microphoneLevel}
              aria-valuemin="0"
              aria-valuemax="100"
            >
              <span class="meter__bar"></span>
            </div>`
          : nothing}
      </div>
      <div class="preview__pickers">
        ${hasVideo ? picker('videoinput', strings.camera, lobby.videoDeviceId) : nothing}
        ${hasAudio ? picker('audioinput', strings.microphone, lobby.audioDeviceId) : nothing}
        ${picker('audiooutput', strings.speaker, lobby.speakerId)}
      </div>`;
  }

  private renderProgress(state: CallState) {
    const strings = this.locale.strings;
    const busy = state === 'joining' || state === 'leaving';
    const text = state === 'joining' ? strings.joining : state === 'leaving' ? strings.leaving : '';
    return html`<div class="panel" ?hidden=${!busy} aria-busy=${busy ? 'true' : 'false'}>
      <div class="spinner ${this.slowProgress ? '' : 'spinner--held'}" aria-hidden="true"></div>
      <p part="status" class="status" role="status">${text}</p>
    </div>`;
  }

  private renderWaiting(visible: boolean) {
    const strings = this.locale.strings;
    // The live region above speaks the wait; this is what sighted users see.
    return html`<div part="waiting" class="panel" ?hidden=${!visible}>
      <p class="panel__title">${strings.room(this.room)}</p>
      <div class="spinner" aria-hidden="true"></div>
      <p part="status" class="status">${visible ? strings.waitingForHost : ''}</p>
      <button part="cancel-button" class="secondary-button" type="button" @click=${() => void this.leave()}>
        ${strings.cancel}
      </button>
    </div>`;
  }

  private renderError() {
    const strings = this.locale.strings;
    const error = this.call.error;
    // Trying again with the token that was refused would only be refused again.
    const canRetry = !!error && (!FINAL_FOR_THIS_TOKEN.has(error.type) || this.token !== this.tokenAtJoin);
    return html`<div class="panel" ?hidden=${!error}>
      <p part="status" class="status status--error" role="alert">${error ? strings.errors[error.type] : ''}</p>
      <button
        part="join-button"
        class="primary-button"
        type="button"
        ?hidden=${!canRetry}
        @click=${() => this.join().catch(() => {})}
      >
        ${strings.tryAgain}
      </button>
    </div>`;
  }

  private renderKnocks() {
    const strings = this.locale.strings;
    const { role, knocking } = this.call.roomControl;
    if (role !== 'host' || knocking.length === 0) return nothing;
    return html`<section part="knock-list" class="knocks" aria-labelledby="knock-list-title">
      <p id="knock-list-title" class="knocks__title">${strings.knockList} (${knocking.length})</p>
      <ul class="knocks__list">
        ${repeat(
          knocking,
          (knock) => knock.id,
          (knock) => html`<li part="knock" class="knock">
            <span class="knock__name">${knock.name}</span>
            <button
              part="admit-button"
              class="small-button small-button--primary"
              type="button"
              aria-label=${strings.admitName(knock.name)}
              @click=${() => this.handleKnock('admit', knock.id)}
            >
              ${strings.admit}
            </button>
            <button
              part="decline-button"
              class="small-button"
              type="button"
              aria-label=${strings.declineName(knock.name)}
              @click=${() => this.handleKnock('decline', knock.id)}
            >
              ${strings.decline}
            </button>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderCall(visible: boolean) {
    const strings = this.locale.strings;
    const participants = visible ? this.call.participants : [];
    this.remoteVideos.keepOnly(participants);
    const missing = this.call.missingMedia;
    const host = visible && this.call.roomControl.role === 'host';
    const chat = visible && this.call.active?.data ? this.call.active : null;
    // Hidden before the call, the bar already has the buttons it will have in it, so that Join only
    // shows them: made in the first joined render, they cost a two-person join 3–6 ms (paired
    // connect benchmark), spent while the first frames are on their way. In the call, the
    // features' buttons need their chunk (without it, offline, the call goes on without them).
    // Leave is rendered after these and the device menu: last, where people look for it.
    const controls: CallButtonAction[] = [
      'toggle-audio',
      'toggle-video',
      ...(host ? (['toggle-lock'] as const) : []),
      ...(this.features || !visible ? featureControls(this) : []),
    ];
    if (this.provider.value?.screenShare != null) controls.splice(2, 0, 'toggle-screen-share');
    if (visible ? chat : this.usesData) controls.push('toggle-chat');
    return html`${this.state === 'reconnecting'
        ? html`<p part="status" class="notice" role="status">${strings.reconnecting}</p>`
        : nothing}
      ${visible ? this.renderKnocks() : nothing}
      ${visible ? this.stage?.renderSoundPrompt() : nothing}
      <div part="stage" class="stage" ?hidden=${!visible}>
        ${repeat(participants, (p) => p.peerId, (p) => this.renderTile(p))}
        <p class="stage__hint" ?hidden=${participants.length > 1}><slot name="empty">${strings.aloneInRoom}</slot></p>
      </div>
      ${this.features?.renderList(participants, host)}
      ${missing.length
        ? html`<p part="status" class="notice" role="status">
            ${missing.includes('video') ? strings.missingCamera : strings.missingMicrophone}
          </p>`
        : nothing}
      ${visible && this.mutedByHost ? html`<p part="status" class="notice">${strings.mutedByHost}</p>` : nothing}
      ${visible && this.controlStatus
        ? html`<p part="status" class="notice ${this.controlStatus.error ? 'notice--error' : ''}">
            ${this.controlStatus.text}
          </p>`
        : nothing}
      <div part="controls" class="controls" role="group" aria-label=${strings.callControls} ?hidden=${!visible}>
        ${visible ? this.stage?.renderControls() : nothing}
        <slot name="controls">
          ${repeat(
            controls,
            // Keyed, so a button keeps its action (and focus) when buttons are added around it.
            (action) => action,
            (action) =>
              html`<call-button
                part="control"
                exportparts="base:control__base"
                action=${action}
                .strings=${this.strings}
              ></call-button>`,
          )}
          ${visible && !this.noDeviceSwitch ? this.deviceMenu?.render() : nothing}
          <call-button part="control" exportparts="base:control__base" action="leave" .strings=${this.strings}></call-button>
        </slot>
      </div>
      ${chat ? html`<call-chat part="chat" .call=${chat} .strings=${this.strings}></call-chat>` : nothing}`;
  }

  private renderTile(participant: Participant) {
    const strings = this.locale.strings;
    const { local, stream, name, connection } = participant;
    return html`<figure
      part="tile ${local ? 'local-tile' : 'remote-tile'}${this.stage?.tileParts(participant) ?? ''}"
      class="tile ${local ? 'tile--local' : ''}"
      data-participant=${participant.peerId}
    >
      ${local
        ? html`<video
            part="video"
            class="tile__video"
            autoplay
            playsinline
            .muted=${true}
            .srcObject=${
              // Lit sets an object property on every render; assigning srcObject, even the same
              // stream, reloads the video and aborts a pending play().
              live(stream)
            }
            data-peer-id=${participant.peerId}
          ></video>`
        : this.remoteVideos.get(participant)}
      ${stream && connection !== 'reconnecting'
        ? nothing
        : html`<span class="tile__status" role="status"
            >${connection === 'reconnecting' ? strings.tileReconnecting : strings.connecting}</span
          >`}
      <figcaption part="name" class="tile__name">${local ? `${name} (${strings.you})` : name}</figcaption>
      ${this.features?.renderTileStatus(participant)}
      ${this.stage?.renderTileBadges(participant)}
      ${!local && this.call.roomControl.role === 'host' ? this.renderTileActions(participant) : nothing}
    </figure>`;
  }

  private renderTileActions({ peerId, name }: Participant) {
    const strings = this.locale.strings;
    if (this.confirmingRemoval === peerId) {
      return html`<div
        part="remove-confirm"
        class="tile__confirm"
        role="group"
        aria-labelledby="confirm-${peerId}"
        @keydown=${this.handleConfirmKeydown}
      >
        <p id="confirm-${peerId}" class="tile__question">${strings.confirmRemove(name)}</p>
        <div class="tile__answers">
          <button class="small-button small-button--danger" type="button" @click=${() => this.confirmRemoval(peerId)}>
            ${strings.remove}
          </button>
          <button class="small-button cancel" type="button" @click=${() => void this.cancelRemoval()}>
            ${strings.cancel}
          </button>
        </div>
      </div>`;
    }
    return html`<div part="tile-actions" class="tile__actions" role="group" aria-label=${strings.participantActions(name)}>
      <button
        part="tile-action mute-button"
        class="icon-button"
        type="button"
        aria-label=${strings.askToMute(name)}
        title=${strings.askToMute(name)}
        @click=${() => void this.runControl('mute', peerId, strings.askedToMute(name))}
      >
        ${icons.micOff}
      </button>
      <button
        part="tile-action remove-button"
        class="icon-button"
        type="button"
        aria-label=${strings.removeName(name)}
        title=${strings.removeName(name)}
        @click=${() => void this.askRemoval(peerId)}
      >
        ${icons.personRemove}
      </button>
    </div>`;
  }
}

if (!customElements.get('video-call')) customElements.define('video-call', VideoCall);

declare global {
  interface HTMLElementTagNameMap {
    'video-call': VideoCall;
  }
}
