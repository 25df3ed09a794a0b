import { expect } from '@open-wc/testing';
import serverUrl from '/__peercall-server.js';
import { Call } from '../../src/core/call.js';
import { MeshGovernor, limitsFor } from '../../src/core/mesh-governor.js';
import { recordPeerConnections } from '../helpers/peer-connections.js';
import { uniqueRoom, waitFor } from '../helpers/wait.js';

const connections = recordPeerConnections();

const videoEncodings = () =>
  connections
    .filter((pc) => pc.connectionState === 'connected')
    .flatMap((pc) => pc.getSenders())
    .filter((sender) => sender.track?.kind === 'video')
    .map((sender) => sender.getParameters().encodings[0]);

describe('mesh governor', () => {
  it('gives each peer a smaller share of the uplink as the room grows', () => {
    expect(limitsFor(1).maxBitrate).to.equal(1_200_000);
    expect(limitsFor(2).maxBitrate).to.equal(1_200_000);
    expect(limitsFor(3).maxBitrate).to.equal(833_333);
    expect(limitsFor(5).maxBitrate).to.equal(500_000);
    expect(limitsFor(5).maxFramerate).to.be.below(limitsFor(1).maxFramerate);
    expect(limitsFor(5).scaleResolutionDownBy).to.be.above(limitsFor(1).scaleResolutionDownBy);
    expect(limitsFor(2, 1).scaleResolutionDownBy).to.equal(2 * limitsFor(2).scaleResolutionDownBy);
  });

  it('caps every outgoing video of a real call, and can be turned off', async () => {
    const room = uniqueRoom();
    const calls = [new Call(serverUrl), new Call(serverUrl), new Call(serverUrl)];
    try {
      for (const call of calls) await call.join({ room });
      await waitFor(
        () => calls.every((call) => call.participants.filter((p) => !p.local && p.stream).length === 2),
        'a full mesh of three',
      );
      await waitFor(
        () => videoEncodings().length === 6 && videoEncodings().every((e) => e.maxBitrate === limitsFor(2).maxBitrate),
        'all six video senders capped for two remote peers',
      );
    } finally {
      await Promise.all(calls.map((call) => call.leave()));
    }

    const unlimited = [new Call(serverUrl, { governor: false }), new Call(serverUrl, { governor: false })];
    try {
      const other = uniqueRoom();
      for (const call of unlimited) await call.join({ room: other });
      await waitFor(
        () => unlimited.every((call) => call.participants.some((p) => !p.local && p.stream)),
        'the ungoverned pair to connect',
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(videoEncodings()).to.have.length(2);
      expect(videoEncodings().every((e) => e.maxBitrate === undefined)).to.equal(true);
    } finally {
      await Promise.all(unlimited.map((call) => call.leave()));
    }
  });

  it('at the lowest resolution and still CPU-limited, sends video only to the most recent speaker, then restores it', async () => {
    // The fake microphone beeps; a disabled copy of it sends silence.
    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const [micTrack, cameraTrack] = [media.getAudioTracks()[0]!, media.getVideoTracks()[0]!];
    const silence = () => Object.assign(micTrack.clone(), { enabled: false });
    // Ours sends video to each peer; each peer sends us audio: the first a tone, the others silence.
    const pairs = await Promise.all([micTrack, silence(), silence()].map((track) => connectPair(cameraTrack, track)));
    const ours = pairs.map((pair) => pair.ours);
    let cpuLimited = true;
    const governor = new MeshGovernor(() => ours, { sampleIntervalMs: 50, limitation: () => (cpuLimited ? 'cpu' : 'none') });
    const encoding = (pc: RTCPeerConnection) => pc.getSenders().find((s) => s.track?.kind === 'video')!.getParameters().encodings[0]!;
    let speakerPaused = false;
    let watch: ReturnType<typeof setInterval> | undefined;
    try {
      governor.update();
      await waitFor(
        () => ours.slice(1).every((pc) => encoding(pc).active === false),
        'video to the two silent peers to stop',
      );
      expect(encoding(ours[0]!).active).to.equal(true);
      // From here on (the governor has heard who speaks), the speaker keeps our video.
      watch = setInterval(() => (speakerPaused ||= encoding(ours[0]!).active === false), 20);
      expect(ours.every((pc) => encoding(pc).scaleResolutionDownBy === 4 * limitsFor(3).scaleResolutionDownBy)).to.equal(true);
      expect(governor.audioOnly).to.have.members(ours.slice(1));
      // Really no video on the wire to a silent peer, while their audio still flows.
      const decoded = async (pc: RTCPeerConnection, kind: string) => {
        let frames = 0;
        (await pc.getStats()).forEach((r: { type: string; kind?: string; framesDecoded?: number; totalSamplesReceived?: number }) => {
          if (r.type === 'inbound-rtp' && r.kind === kind) frames = (kind === 'video' ? r.framesDecoded : r.totalSamplesReceived) ?? 0;
        });
        return frames;
      };
      const before = await decoded(pairs[1]!.theirs, 'video');
      const heardBefore = await decoded(ours[1]!, 'audio');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await decoded(pairs[1]!.theirs, 'video')).to.equal(before);
      expect(await decoded(ours[1]!, 'audio')).to.be.above(heardBefore);

      cpuLimited = false;
      await waitFor(
        () => ours.every((pc) => encoding(pc).active !== false && encoding(pc).scaleResolutionDownBy === limitsFor(3).scaleResolutionDownBy),
        'video and full resolution back for everyone',
        10_000,
      );
      expect(governor.audioOnly).to.deep.equal([]);
      expect(speakerPaused, 'the peer who speaks kept our video while others lost and regained theirs').to.equal(false);
    } finally {
      clearInterval(watch);
      governor.stop();
      for (const pair of pairs) {
        pair.ours.close();
        pair.theirs.close();
        pair.speaker.srcObject = null;
      }
      for (const track of media.getTracks()) track.stop();
    }
  });
});

/** Two real connections in this page: `ours` sends `video` and receives `audio` from `theirs`. */
async function connectPair(video: MediaStreamTrack, audio: MediaStreamTrack) {
  const ours = new RTCPeerConnection();
  const theirs = new RTCPeerConnection();
  ours.addEventListener('icecandidate', ({ candidate }) => void (candidate && theirs.addIceCandidate(candidate)));
  theirs.addEventListener('icecandidate', ({ candidate }) => void (candidate && ours.addIceCandidate(candidate)));
  ours.addTrack(video);
  ours.addTransceiver('audio', { direction: 'recvonly' });
  await ours.setLocalDescription();
  await theirs.setRemoteDescription(ours.localDescription!);
  const back = theirs.getTransceivers().find((t) => t.receiver.track.kind === 'audio')!;
  await back.sender.replaceTrack(audio);
  back.direction = 'sendonly';
  await theirs.setLocalDescription();
  await ours.setRemoteDescription(theirs.localDescription!);
  await waitFor(() => ours.connectionState === 'connected' && theirs.connectionState === 'connected', 'the pair to connect');
  // Chromium measures received audio (the energy the governor reads) only while something plays it.
  const speaker = new Audio();
  speaker.srcObject = new MediaStream([ours.getReceivers().find((r) => r.track.kind === 'audio')!.track]);
  await speaker.play();
  return { ours, theirs, speaker };
}
