import type { Participant } from '../../core/participant.js';

/**
 * One `<video>` per remote participant, made and given its stream the moment the stream arrives
 * rather than when the tile next renders. A video element takes tens of milliseconds to start
 * presenting a stream; started as the connection comes up, that start overlaps the ICE and DTLS
 * handshakes instead of following them, and the first frame shows as soon as it arrives. Tiles
 * place the element; it keeps its stream however often they render.
 */
export class RemoteVideos {
  private readonly videos = new Map<string, HTMLVideoElement>();

  /** The participant's video element, fed with their current stream. */
  get({ peerId, stream }: Participant): HTMLVideoElement {
    let video = this.videos.get(peerId);
    if (!video) {
      video = document.createElement('video');
      video.setAttribute('part', 'video');
      video.className = 'tile__video';
      video.autoplay = true;
      video.playsInline = true;
      video.dataset.peerId = peerId;
      this.videos.set(peerId, video);
    }
    // Only on a change: assigning srcObject, even the same stream, reloads the video.
    if (video.srcObject !== stream) video.srcObject = stream;
    return video;
  }

  /** A participant's media changed: their element takes the new stream now, before any render. */
  update(participant: Participant): void {
    if (!participant.local && (participant.stream || this.videos.has(participant.peerId))) this.get(participant);
  }

  remove(peerId: string): void {
    const video = this.videos.get(peerId);
    if (video) video.srcObject = null;
    this.videos.delete(peerId);
  }

  /** Lets go of the elements of everyone not in `participants` (the call ended, or they left meanwhile). */
  keepOnly(participants: readonly Participant[]): void {
    const present = new Set(participants.map((p) => p.peerId));
    for (const peerId of [...this.videos.keys()]) if (!present.has(peerId)) this.remove(peerId);
  }
}
