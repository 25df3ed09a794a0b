import { loadCallChat, loadCallStage, loadDeviceMenu, loadParticipantFeatures } from './in-call-chunks.js';
import { whenIdle } from '../../internal/when-idle.js';

let warmedUp = false;

/**
 * Gets the page ready for a call while the visitor is in the pre-join view, once it is idle, so
 * that Join has only to connect and render: it fetches and evaluates the in-call chunks (the
 * standby's chunk readies WebRTC, see `StandbyKeeper.sync`). At the click they filled the moments
 * in which the first offer, answer and ICE candidates have to go out. Once per page.
 */
export function warmUpForCall(withChat: boolean): void {
  if (warmedUp) return;
  warmedUp = true;
  const run = () => {
    // Offline, the same imports fail again at Join, where their failure is handled.
    const chunks = [
      loadCallStage(),
      loadDeviceMenu(),
      loadParticipantFeatures(),
      // The call's own chunks (see Call.join and Call.devices).
      import('../../core/mesh-governor.js'),
      import('../../core/device-switch.js'),
      withChat && loadCallChat(),
    ];
    for (const chunk of chunks) if (chunk) chunk.catch(() => {});
  };
  whenIdle(run, 2000);
}
