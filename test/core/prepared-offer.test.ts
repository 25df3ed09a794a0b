import { expect } from '@open-wc/testing';
import { PreparedOffer, type ConnectionConfig } from '../../src/core/prepared-offer.js';

/**
 * Real RTCPeerConnections and a real (fake-device) camera. `placeLikePeerJs` makes the calls
 * PeerJS's `peer.call()` makes, in its order: the prepared connection must stand in for its
 * connection and its offer only when the stream and the ICE configuration are the call's.
 */
describe('PreparedOffer', () => {
  const NO_SERVERS: ConnectionConfig = { iceServers: [], iceTransportPolicy: 'all' };
  const opened: RTCPeerConnection[] = [];
  const streams: MediaStream[] = [];
  let made = 0;
  const Native = window.RTCPeerConnection;
  /** Counts the connections made. */
  const Counting = class extends Native {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      made++;
      opened.push(this);
    }
  };

  before(() => {
    window.RTCPeerConnection = Counting;
  });
  after(() => {
    window.RTCPeerConnection = Native;
  });
  afterEach(() => {
    opened.splice(0).forEach((pc) => pc.close());
    streams.splice(0).forEach((stream) => stream.getTracks().forEach((track) => track.stop()));
  });

  async function camera(): Promise<MediaStream> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    streams.push(stream);
    return stream;
  }

  function placeLikePeerJs(stream: MediaStream, config: ConnectionConfig) {
    const pc = new RTCPeerConnection(config);
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.createDataChannel('peerjs');
    const sent = (async () => {
      const offer = await pc.createOffer();
      await pc.setLocalDescription(offer);
      return offer;
    })();
    return { pc, sent };
  }

  /** A prepared offer whose host candidates have been gathered, as in a lobby a moment old. */
  async function prepared(stream: MediaStream, config = NO_SERVERS): Promise<PreparedOffer> {
    const offer = await PreparedOffer.make(stream, config);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return offer;
  }

  it('places the call over the prepared connection, its offer carrying the lobby’s candidates', async () => {
    const stream = await camera();
    const offer = await prepared(stream);
    const before = made;
    const { pc, sent } = offer.place(stream, NO_SERVERS, () => placeLikePeerJs(stream, NO_SERVERS));
    const sdp = (await sent).sdp!;
    expect(made, 'no connection made at the click').to.equal(before);
    expect(window.RTCPeerConnection === Counting, 'the constructor is the page’s again').to.equal(true);
    expect(pc.getSenders().length, 'the senders it had, none added').to.equal(2);
    expect(pc.signalingState).to.equal('have-local-offer');
    expect(sdp).to.equal(pc.localDescription!.sdp);
    expect(sdp).to.match(/a=candidate:/);

    // The callee answers; the connection comes up, and a connection made afterwards is a new one.
    const callee = new RTCPeerConnection(NO_SERVERS);
    await callee.setRemoteDescription({ type: 'offer', sdp });
    await callee.setLocalDescription(await callee.createAnswer());
    await pc.setRemoteDescription(callee.localDescription!);
    for (let i = 0; i < 100 && pc.connectionState !== 'connected'; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pc.connectionState).to.equal('connected');
    expect(new RTCPeerConnection(NO_SERVERS)).not.to.equal(pc);
  });

  it('lets the prepared connection go when the stream or the ICE configuration is not the call’s', async () => {
    const stream = await camera();
    const other = await camera();
    const relayOnly: ConnectionConfig = { iceServers: [], iceTransportPolicy: 'relay' };
    const withStun: ConnectionConfig = { iceServers: [{ urls: 'stun:127.0.0.1:3478' }], iceTransportPolicy: 'all' };
    const cases: [string, MediaStream, ConnectionConfig][] = [
      ['another stream', other, NO_SERVERS],
      ['the room is relay-only', stream, relayOnly],
      ['other ICE servers', stream, withStun],
    ];
    for (const [what, callStream, config] of cases) {
      const offer = await prepared(stream);
      const before = made;
      const { pc, sent } = offer.place(callStream, config, () => placeLikePeerJs(callStream, config));
      await sent;
      expect(made, `${what}: the call makes its own connection`).to.equal(before + 1);
      expect(pc.getSenders().map((sender) => sender.track), what).to.deep.equal(callStream.getTracks());
    }
    // A track that ended since: its stream is no longer what was prepared.
    const offer = await prepared(stream);
    stream.getVideoTracks()[0]!.stop();
    const before = made;
    await offer.place(stream, NO_SERVERS, () => placeLikePeerJs(stream, NO_SERVERS)).sent;
    expect(made, 'an ended track: the call makes its own connection').to.equal(before + 1);
  });
});
