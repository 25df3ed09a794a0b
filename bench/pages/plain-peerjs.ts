/**
 * The baseline: what a competent developer writes by hand with PeerJS against a bare PeerServer.
 * `?id=me&call=other1,other2`: on Join, camera and signaling start together; once both are ready
 * it calls every listed peer and answers every incoming call.
 */
import { Peer, type MediaConnection } from 'peerjs';

const params = new URLSearchParams(location.search);
const id = params.get('id') ?? '';
const toCall = (params.get('call') ?? '').split(',').filter(Boolean);

function show(call: MediaConnection): void {
  call.on('stream', (stream) => {
    if (document.getElementById(`remote-${call.peer}`)) return;
    const video = document.createElement('video');
    video.id = `remote-${call.peer}`;
    video.className = 'remote';
    video.autoplay = true;
    video.playsInline = true;
    video.srcObject = stream;
    document.getElementById('remotes')!.append(video);
  });
}

document.getElementById('join')!.addEventListener('click', async () => {
  const peer = new Peer(id, { host: location.hostname, port: Number(location.port), path: '/peerjs', config: { iceServers: [] } });
  const opened = new Promise((resolve) => peer.once('open', resolve));
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
  (document.getElementById('local') as HTMLVideoElement).srcObject = stream;
  peer.on('call', (call) => {
    call.answer(stream);
    show(call);
  });
  await opened;
  for (const other of toCall) show(peer.call(other, stream));
  document.body.dataset.ready = 'true';
});
