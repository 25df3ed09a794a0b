/** What a media connection is made with: the room's ICE servers and policy. */
export interface ConnectionConfig {
  iceServers: RTCIceServer[];
  iceTransportPolicy: RTCIceTransportPolicy;
}

/**
 * The offer of our first outgoing media connection, made while the visitor is still in the lobby:
 * a connection with the preview's tracks, its offer set as local description and its ICE
 * candidates gathered. At the click it takes the place of the connection PeerJS would make, so the
 * offer goes out, its candidates in it, as soon as the join is answered, instead of after the
 * createOffer() and setLocalDescription() that, under the load of joining, took 20 ms and more.
 * An offer is not addressed to anyone: it fits any first callee, as long as the stream and the ICE
 * configuration are those of the call.
 */
export class PreparedOffer {
  private closed = false;

  private constructor(
    private readonly pc: RTCPeerConnection,
    private readonly stream: MediaStream,
    private readonly tracks: readonly MediaStreamTrack[],
    private readonly config: ConnectionConfig,
    /** Puts an application section in the offer, as PeerJS's own channel needs one. */
    private readonly placeholderChannel: RTCDataChannel,
  ) {}

  /** Prepares an offer sending `stream`'s tracks; rejects when the browser cannot. */
  static async make(stream: MediaStream, config: ConnectionConfig): Promise<PreparedOffer> {
    const pc = new RTCPeerConnection(config);
    try {
      const tracks = stream.getTracks();
      for (const track of tracks) pc.addTrack(track, stream);
      const channel = pc.createDataChannel('prepared');
      await pc.setLocalDescription(await pc.createOffer());
      return new PreparedOffer(pc, stream, tracks, config, channel);
    } catch (error) {
      pc.close();
      throw error;
    }
  }

  /**
   * Places a call sending `stream` over `config` with `place`, PeerJS's `peer.call()`: over this
   * connection when it fits them (see `placeWith`), else as PeerJS does it, letting this one go.
   */
  place<T>(stream: MediaStream, config: ConnectionConfig, place: () => T): T {
    if (this.fits(stream, config)) return this.placeWith(place);
    this.close();
    return place();
  }

  private fits(stream: MediaStream, config: ConnectionConfig): boolean {
    const tracks = stream.getTracks();
    return (
      !this.closed &&
      this.pc.signalingState === 'have-local-offer' &&
      stream === this.stream &&
      tracks.length === this.tracks.length &&
      tracks.every((track, index) => track === this.tracks[index] && track.readyState === 'live') &&
      config.iceTransportPolicy === this.config.iceTransportPolicy &&
      JSON.stringify(config.iceServers) === JSON.stringify(this.config.iceServers)
    );
  }

  /**
   * Runs `place` with this connection in place of the one it makes. PeerJS's `peer.call()` does,
   * synchronously, `new RTCPeerConnection()`, `addTrack()` for each track and
   * `createDataChannel()`, then `createOffer()` and `setLocalDescription()`, sending the offer in
   * the continuation of the latter; its `onicecandidate` sends each candidate. So for this one
   * call the constructor hands out this connection, `addTrack()` returns the senders it has,
   * `createOffer()` the prepared offer, with the candidates gathered so far in it (the callee has
   * them with the offer, none trickling behind), and `setLocalDescription()` of that offer does
   * nothing. Candidates still to come go out as usual, as does anything else.
   */
  private placeWith<T>(place: () => T): T {
    const pc = this.pc;
    const own = pc as unknown as Record<string, unknown>;
    const Native = globalThis.RTCPeerConnection;
    const { addTrack } = Native.prototype;
    // The promise forms; TypeScript would pick the legacy callback overloads.
    const createOffer = Native.prototype.createOffer as (options?: RTCOfferOptions) => Promise<RTCSessionDescriptionInit>;
    const setLocalDescription = Native.prototype.setLocalDescription as (description?: RTCLocalSessionDescriptionInit) => Promise<void>;
    const senders = new Map(pc.getSenders().map((sender) => [sender.track, sender]));
    const offer: RTCSessionDescriptionInit = { type: 'offer', sdp: pc.localDescription!.sdp };
    const restoreOffer = () => {
      delete own.createOffer;
      delete own.setLocalDescription;
    };
    let handedOut = false;
    own.addTrack = (track: MediaStreamTrack, ...streams: MediaStream[]) => senders.get(track) ?? addTrack.call(pc, track, ...streams);
    own.createOffer = (options?: RTCOfferOptions) => (options ? createOffer.call(pc, options) : Promise.resolve(offer));
    own.setLocalDescription = (description?: RTCLocalSessionDescriptionInit) => {
      restoreOffer();
      return description?.sdp === offer.sdp ? Promise.resolve() : setLocalDescription.call(pc, description);
    };
    globalThis.RTCPeerConnection = function (...args: ConstructorParameters<typeof RTCPeerConnection>) {
      if (handedOut) return new Native(...args);
      handedOut = true;
      return pc;
    } as unknown as typeof RTCPeerConnection;
    try {
      return place();
    } finally {
      globalThis.RTCPeerConnection = Native;
      delete own.addTrack;
      this.placeholderChannel.close();
      this.closed = true;
      if (!handedOut) {
        restoreOffer();
        pc.close();
      }
    }
  }

  /** Lets the connection go, unless a call took it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pc.close();
  }
}

let warmedUp = false;

/**
 * Has the browser set up its WebRTC stack (threads, codec lists) with a throwaway offer, once per
 * page: at the click that took the moments in which the first offer, answer and ICE candidates
 * have to go out. For every lobby, as one whose ICE servers are secret prepares no offer.
 */
export async function warmUpWebRtc(): Promise<void> {
  if (warmedUp) return;
  warmedUp = true;
  // No ICE servers and no local description: nothing leaves the page and no candidate is gathered.
  const pc = new RTCPeerConnection({ iceServers: [] });
  try {
    pc.addTransceiver('audio');
    pc.addTransceiver('video');
    pc.createDataChannel('warm-up');
    await pc.createOffer();
  } catch {
    // A browser that cannot do this now will say so when it matters, at Join.
  } finally {
    pc.close();
  }
}
