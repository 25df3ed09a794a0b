import { html, nothing } from 'lit';
import type { DeviceLists } from '../../core/devices.js';

/**
 * A device picker (`<select part="device-select">`), the same in the pre-join view and in the
 * call's device menu; nothing when there is no such device. Unnamed devices (no permission yet)
 * are numbered.
 */
export function renderDeviceSelect(
  kind: keyof DeviceLists,
  label: string,
  devices: readonly MediaDeviceInfo[],
  selected: string,
  choose: (deviceId: string) => void,
) {
  if (!devices.length) return nothing;
  return html`<label class="lobby__field">
    ${label}
    <select
      part="device-select"
      class="lobby__input"
      data-kind=${kind}
      @change=${(event: Event) => choose((event.target as HTMLSelectElement).value)}
    >
      ${devices.map(
        (device, index) =>
          html`<option value=${device.deviceId} ?selected=${device.deviceId === selected}>
            ${device.label || `${label} ${index + 1}`}
          </option>`,
      )}
    </select>
  </label>`;
}
