import { css, html, nothing } from 'lit';
import type { Participant } from '../../core/participant.js';
import type { Strings } from '../../i18n/strings.js';
import { renderStatusIcons } from '../call-participants/status-icons.js';

/**
 * The row of status icons on a tile, in its bottom end corner: the name is at the other end, the
 * layout's badges and a host's actions are along the top.
 */
export function renderTileStatus(participant: Participant, strings: Strings) {
  const icons = renderStatusIcons(participant, strings);
  return icons === nothing || icons.length === 0
    ? nothing
    : html`<div part="tile-status" class="tile-status">${icons}</div>`;
}

/**
 * For the call's shadow root, added there when this chunk arrives: the tile icons, and the
 * recording badge (which needs the recording chunk, loaded only after this one).
 */
export const extrasStyles = css`
  .tile-status {
    position: absolute;
    bottom: 8px;
    inset-inline-end: 8px;
    display: flex;
    gap: 4px;
  }
  .status-icon {
    display: inline-flex;
    padding: 3px;
    border-radius: 50%;
    background: rgba(0, 0, 0, 0.55);
    color: #fff;
  }
  .status-icon svg {
    width: 16px;
    height: 16px;
    fill: currentColor;
  }
  .status-icon--hand {
    background: var(--video-call-hand-color, #f9ab00);
    color: #202124;
  }
  .status-icon--recording {
    color: var(--video-call-recording-color, #ea4335);
  }
  .recording {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: 0.5em;
    font-variant-numeric: tabular-nums;
  }
  .recording__dot {
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--video-call-recording-color, #ea4335);
  }
`;
