/**
 * The loudness of a microphone track, 0–1, read with a Web Audio AnalyserNode once per frame
 * while `start()`ed. `stop()` ends the loop; `close()` also releases the audio graph.
 */
export class AudioLevelMeter {
  private context: AudioContext | null = null;
  private source: MediaStreamAudioSourceNode | null = null;
  private analyser: AnalyserNode | null = null;
  private samples: Float32Array<ArrayBuffer> | null = null;
  private frame = 0;
  private smoothed = 0;

  constructor(private readonly onLevel: (level: number) => void) {}

  /** Measures `track` (replacing any earlier one) and starts reporting. */
  start(track: MediaStreamTrack): void {
    this.stop();
    const AudioContextClass = globalThis.AudioContext;
    if (!AudioContextClass) return;
    this.context ??= new AudioContextClass();
    void this.context.resume().catch(() => {});
    this.source?.disconnect();
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.analyser ??= this.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.samples = new Float32Array(this.analyser.fftSize);
    this.source.connect(this.analyser);
    const tick = () => {
      this.frame = requestAnimationFrame(tick);
      this.measure();
    };
    this.frame = requestAnimationFrame(tick);
  }

  /** Stops reporting (the level drops to 0). */
  stop(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.source?.disconnect();
    this.source = null;
    this.smoothed = 0;
    this.onLevel(0);
  }

  /** Stops and releases the audio context. */
  close(): void {
    this.stop();
    void this.context?.close().catch(() => {});
    this.context = null;
    this.analyser = null;
  }

  private measure(): void {
    const { analyser, samples } = this;
    if (!analyser || !samples) return;
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    // Speech sits around 0.01–0.3 RMS: a square-root curve spreads it over the bar. Fast attack, slow decay.
    const level = Math.min(1, Math.sqrt(rms) * 1.6);
    this.smoothed = level > this.smoothed ? level : this.smoothed * 0.85 + level * 0.15;
    this.onLevel(this.smoothed);
  }
}
