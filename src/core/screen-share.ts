/**
 * Screen capture for sharing in place of the camera: a chunk of its own, fetched the first time
 * someone shares.
 */

/**
 * Longest side of a shared screen. Bigger costs every peer's uplink share for little; it also
 * stays above any camera we capture (640×360), which is how the others tell a screen from a camera.
 */
const MAX_WIDTH = 1920;
const MAX_HEIGHT = 1080;

/** Asks the browser for a screen, window or tab; rejects when the user cancels the picker. */
export async function captureScreen(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({
    video: { width: { max: MAX_WIDTH }, height: { max: MAX_HEIGHT }, frameRate: { ideal: 15, max: 30 } },
    audio: false,
  });
  const track = stream.getVideoTracks()[0]!;
  // Text on a screen must stay legible: the encoder drops frames rather than resolution, and the
  // mesh governor leaves its size alone (see applyLimits).
  track.contentHint = 'detail';
  return track;
}
