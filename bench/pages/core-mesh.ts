/**
 * A page on peercall's core `Call` with the mesh governor switched by `?governor=0|1`, rendering a
 * <video> per remote participant as <video-call> does, so CPU and frame rates can be compared.
 * `?lobby=1` gets ready before the click as <video-call>'s lobby does (camera on, standby socket
 * open; `data-lobby="ready"` on the body once both are), so that Join costs what it costs the
 * element without the element's UI. With it, `self=1` also shows the camera from then on, and
 * `meter=1` runs the lobby's microphone meter until the click, as the element does.
 */
import { AudioLevelMeter } from '../../src/core/audio-level.js';
import { Call } from '../../src/core/call.js';
import { getLocalMedia } from '../../src/core/media.js';
import { Standby } from '../../src/core/standby.js';

const params = new URLSearchParams(location.search);
const server = params.get('server') ?? '/';
const call = new Call(server, { governor: params.get('governor') !== '0' });
let meter: AudioLevelMeter | null = null;
const lobby =
  params.get('lobby') === '1'
    ? Promise.all([getLocalMedia(), Standby.open(server, () => {})]).then(([media, standby]) => {
        if (params.get('self') === '1') (document.getElementById('local') as HTMLVideoElement).srcObject = media.stream;
        const microphone = media.stream.getAudioTracks()[0];
        if (params.get('meter') === '1' && microphone) {
          const bar = document.getElementById('level')!;
          meter = new AudioLevelMeter((level) => (bar.style.width = `${Math.round(level * 100)}%`));
          meter.start(microphone);
        }
        // As <video-call>'s lobby does: the first call's offer made with the preview's stream.
        standby?.prepareCall(media.stream);
        document.body.dataset.lobby = 'ready';
        return { localStream: media.stream, standby };
      })
    : null;
const remotes = document.getElementById('remotes')!;

call.addEventListener('participantchange', ({ detail: { participant } }) => {
  if (!participant.stream || document.getElementById(`remote-${participant.peerId}`)) return;
  const video = document.createElement('video');
  video.id = `remote-${participant.peerId}`;
  video.className = 'remote';
  video.autoplay = true;
  video.playsInline = true;
  video.muted = true;
  video.srcObject = participant.stream;
  remotes.append(video);
});
call.addEventListener('participantleft', ({ detail: { participant } }) => {
  document.getElementById(`remote-${participant.peerId}`)?.remove();
});

document.getElementById('join')!.addEventListener('click', async () => {
  meter?.close();
  const ready = lobby ? await lobby : {};
  await call.join({ room: params.get('room') ?? 'bench', ...ready });
  document.body.dataset.ready = 'true';
});
