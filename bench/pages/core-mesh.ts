/**
 * A page on peercall's core `Call` with the mesh governor switched by `?governor=0|1`, rendering a
 * <video> per remote participant as <video-call> does, so CPU and frame rates can be compared.
 */
import { Call } from '../../src/core/call.js';

const params = new URLSearchParams(location.search);
const call = new Call(params.get('server') ?? '/', { governor: params.get('governor') !== '0' });
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

document.getElementById('join')!.addEventListener('click', () => {
  void call.join({ room: params.get('room') ?? 'bench' }).then(() => (document.body.dataset.ready = 'true'));
});
