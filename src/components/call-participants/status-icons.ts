import { html, nothing, svg } from 'lit';
import type { Participant } from '../../core/participant.js';
import type { Strings } from '../../i18n/strings.js';
import { icons } from '../../internal/icons.js';

const path = (d: string) => svg`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d}></path></svg>`;

// Material Symbols (Apache-2.0). Added to the shared set here, in the lazily loaded chunk, so
// that only calls that get as far as joining download them; <call-button> reads them from there.
Object.assign(icons, {
  hand: path(
    'M13 24a8 8 0 0 1-7.4-5.02l-3.03-7.61a1 1 0 0 1 1.24-1.32l.79.26c.56.18 1.02.61 1.24 1.16L7.25 15H8V3.25a1.25 1.25 0 0 1 2.5 0V12h1V1.25a1.25 1.25 0 0 1 2.5 0V12h1V2.75a1.25 1.25 0 0 1 2.5 0V12h1V5.75a1.25 1.25 0 0 1 2.5 0V16a8 8 0 0 1-8 8Z',
  ),
  participants: path(
    'M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm-8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6Zm0 2c-2.33 0-7 1.17-7 3.5V19h14v-2.5c0-2.33-4.67-3.5-7-3.5Zm8 0c-.29 0-.62.02-.97.05A4.2 4.2 0 0 1 17 16.5V19h6v-2.5c0-2.33-4.67-3.5-7-3.5Z',
  ),
  recording: path('M12 6a6 6 0 1 0 0 12 6 6 0 0 0 0-12Z'),
});

/**
 * The icons for what someone reports about themselves, the raised hand first. Each is an image
 * with its own accessible name, so the list and the tiles read the same way.
 */
export function renderStatusIcons({ status }: Participant, strings: Strings) {
  if (!status) return nothing;
  const shown = [
    status.hand && (['hand', icons.hand, strings.statusHand] as const),
    status.recording && (['recording', icons.recording, strings.statusRecording] as const),
    !status.audio && (['muted', icons.micOff, strings.statusMuted] as const),
    !status.video && (['camera-off', icons.camOff, strings.statusCameraOff] as const),
  ].filter((item) => item !== false);
  return shown.map(
    ([kind, icon, label]) =>
      html`<span part="status-icon ${kind}-icon" class="status-icon status-icon--${kind}" role="img" aria-label=${label} title=${label}
        >${icon}</span
      >`,
  );
}
