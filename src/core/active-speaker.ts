/**
 * RMS amplitude (0–1) a participant must reach to count as speaking: about −34 dBFS, above a
 * quiet room's hiss and below normal speech.
 */
export const SPEAKING_LEVEL = 0.02;
/** How long a participant must be the loudest before the highlight moves to them. */
export const LEAD_MS = 1000;
/** How long the highlight stays on someone once it moved to them, whoever speaks meanwhile. */
export const HOLD_MS = 2000;
/** While the current speaker still talks, a challenger must be this many times louder. */
export const MARGIN = 1.5;

/**
 * Who is speaking, with hysteresis so that the highlight does not flicker: the loudest
 * participant above `SPEAKING_LEVEL` (and `MARGIN` times louder than the current speaker, while
 * they still talk) takes it after leading for `LEAD_MS`, and not before the current speaker has
 * held it for `HOLD_MS`. A speaker who falls silent keeps it until someone
 * else speaks (as in Meet), and loses it only by leaving. Pure: feed it levels and times.
 */
export class ActiveSpeakerDetector {
  private current: string | null = null;
  private since = 0;
  private candidate: string | null = null;
  private candidateSince = 0;

  get speaker(): string | null {
    return this.current;
  }

  /** Takes one reading of everyone's level (ids absent have left) at `now` ms; answers the speaker. */
  update(levels: ReadonlyMap<string, number>, now: number): string | null {
    if (this.current !== null && !levels.has(this.current)) this.current = null;
    const currentLevel = this.current === null ? 0 : (levels.get(this.current) ?? 0);
    const floor = currentLevel >= SPEAKING_LEVEL ? currentLevel * MARGIN : SPEAKING_LEVEL;
    let loudest: string | null = null;
    let loudestLevel = floor;
    for (const [id, level] of levels) {
      if (id !== this.current && level >= loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }
    if (loudest === null) {
      this.candidate = null;
      return this.current;
    }
    // A candidate keeps its lead while it stays about as loud as the loudest: two people talking
    // at once must not keep resetting each other's lead, or neither would ever get the highlight.
    const candidateLevel = this.candidate === null ? 0 : (levels.get(this.candidate) ?? 0);
    if (this.candidate === null || candidateLevel < floor || candidateLevel * MARGIN < loudestLevel) {
      this.candidate = loudest;
      this.candidateSince = now;
    }
    const led = now - this.candidateSince >= LEAD_MS;
    const held = this.current === null || now - this.since >= HOLD_MS;
    if (led && held) {
      this.current = this.candidate;
      this.since = now;
      this.candidate = null;
    }
    return this.current;
  }
}
