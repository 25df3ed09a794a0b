/** One tile of the recorded picture. */
export interface RecordedSource {
  /** Written under the picture, as on the tile. */
  label: string;
  /** The element showing their video (drawn as it plays), if there is one. */
  video: HTMLVideoElement | null;
  /** Their media: its audio goes into the recording's sound. */
  stream: MediaStream | null;
}

const WIDTH = 1280;
const HEIGHT = 720;
const FRAME_RATE = 30;
/** Preferred first; VP8 and Opus are what every browser that records WebM can do. */
const MIME_TYPES = ['video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus', 'video/webm'];
/** A recording is handed over in slices, so that a long one is not held as one buffer inside the encoder. */
const SLICE_MS = 1000;

/** The WebM type this browser can record, if any. */
export function recordingType(): string | undefined {
  if (typeof MediaRecorder === 'undefined' || !('captureStream' in HTMLCanvasElement.prototype)) return undefined;
  return MIME_TYPES.find((type) => MediaRecorder.isTypeSupported(type));
}

/**
 * Records a call as its user sees it: every source's video drawn into a grid on a canvas, every
 * source's sound mixed with Web Audio, both encoded by MediaRecorder as WebM, locally. The
 * sources are asked for again on every frame, so people joining and leaving, or turning their
 * camera on and off, show up in the recording as they happen.
 */
export class CallRecorder {
  private readonly canvas = document.createElement('canvas');
  private readonly painter: CanvasRenderingContext2D;
  private readonly audio = new AudioContext();
  private readonly mix = this.audio.createMediaStreamDestination();
  /** Audio tracks mixed in so far, by track. */
  private readonly inputs = new Map<MediaStreamTrack, MediaStreamAudioSourceNode>();
  private readonly recorder: MediaRecorder;
  private readonly chunks: Blob[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopping: Promise<Blob> | undefined;

  /** Throws when this browser cannot record WebM. */
  constructor(private readonly sources: () => RecordedSource[]) {
    const mimeType = recordingType();
    if (!mimeType) throw new Error('This browser cannot record WebM.');
    this.canvas.width = WIDTH;
    this.canvas.height = HEIGHT;
    this.painter = this.canvas.getContext('2d')!;
    const tracks = [...this.canvas.captureStream(FRAME_RATE).getVideoTracks(), ...this.mix.stream.getAudioTracks()];
    this.recorder = new MediaRecorder(new MediaStream(tracks), { mimeType });
    this.recorder.addEventListener('dataavailable', ({ data }) => {
      if (data.size) this.chunks.push(data);
    });
  }

  start(): void {
    // Started from a click, so the page may play sound; resume() is needed where it may not yet.
    void this.audio.resume();
    this.draw();
    // A timer rather than requestAnimationFrame, which stops in a background tab (timers only slow down).
    this.timer = setInterval(() => this.draw(), 1000 / FRAME_RATE);
    this.recorder.start(SLICE_MS);
  }

  /** Ends the recording; resolves with the whole WebM file. Safe to call more than once. */
  stop(): Promise<Blob> {
    this.stopping ??= new Promise<Blob>((resolve) => {
      clearInterval(this.timer);
      const finish = () => {
        for (const track of this.recorder.stream.getTracks()) track.stop();
        void this.audio.close();
        resolve(new Blob(this.chunks, { type: 'video/webm' }));
      };
      if (this.recorder.state === 'inactive') return finish();
      this.recorder.addEventListener('stop', finish, { once: true });
      this.recorder.stop();
    });
    return this.stopping;
  }

  private draw(): void {
    const sources = this.sources();
    this.mixAudio(sources);
    const painter = this.painter;
    painter.fillStyle = '#202124';
    painter.fillRect(0, 0, WIDTH, HEIGHT);
    const columns = Math.ceil(Math.sqrt(sources.length));
    const rows = Math.ceil(sources.length / columns);
    const width = WIDTH / columns;
    const height = HEIGHT / rows;
    painter.font = '20px system-ui, sans-serif';
    sources.forEach(({ label, video }, index) => {
      const x = (index % columns) * width;
      const y = Math.floor(index / columns) * height;
      painter.fillStyle = '#3c4043';
      painter.fillRect(x + 2, y + 2, width - 4, height - 4);
      if (video && video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth) {
        // Fitted whole into the cell, as a letterbox, so nobody is cut off.
        const scale = Math.min(width / video.videoWidth, height / video.videoHeight);
        const w = video.videoWidth * scale;
        const h = video.videoHeight * scale;
        painter.drawImage(video, x + (width - w) / 2, y + (height - h) / 2, w, h);
      }
      painter.fillStyle = 'rgba(0, 0, 0, 0.55)';
      const textWidth = Math.min(painter.measureText(label).width, width - 32);
      painter.fillRect(x + 8, y + height - 40, textWidth + 16, 32);
      painter.fillStyle = '#fff';
      painter.fillText(label, x + 16, y + height - 17, width - 32);
    });
  }

  /** Brings the mix in line with the sources: new audio tracks in, departed ones out. */
  private mixAudio(sources: RecordedSource[]): void {
    const tracks = new Set(sources.flatMap(({ stream }) => stream?.getAudioTracks() ?? []));
    for (const track of tracks) {
      if (this.inputs.has(track)) continue;
      const input = this.audio.createMediaStreamSource(new MediaStream([track]));
      input.connect(this.mix);
      this.inputs.set(track, input);
    }
    for (const [track, input] of this.inputs) {
      if (tracks.has(track)) continue;
      input.disconnect();
      this.inputs.delete(track);
    }
  }
}
