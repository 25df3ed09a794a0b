import { expect } from '@open-wc/testing';
import { ActiveSpeakerDetector, HOLD_MS, LEAD_MS, SPEAKING_LEVEL } from '../../src/core/active-speaker.js';

const LOUD = 0.2;
const QUIET = SPEAKING_LEVEL / 4;

/** Feeds `levels` every 100 ms from `from` to `to` and answers the speaker after each reading. */
function run(detector: ActiveSpeakerDetector, levels: Record<string, number>, from: number, to: number): (string | null)[] {
  const seen: (string | null)[] = [];
  for (let t = from; t <= to; t += 100) seen.push(detector.update(new Map(Object.entries(levels)), t));
  return seen;
}

describe('ActiveSpeakerDetector', () => {
  it('picks whoever speaks after they have led for a second', () => {
    const detector = new ActiveSpeakerDetector();
    const seen = run(detector, { a: QUIET, b: LOUD, c: QUIET }, 0, 2000);
    expect(seen[LEAD_MS / 100 - 1]).to.equal(null);
    expect(seen[LEAD_MS / 100]).to.equal('b');
    expect(detector.speaker).to.equal('b');
  });

  it('ignores levels below the speaking threshold', () => {
    const detector = new ActiveSpeakerDetector();
    run(detector, { a: QUIET, b: QUIET }, 0, 3000);
    expect(detector.speaker).to.equal(null);
  });

  it('keeps the last speaker while everyone is silent', () => {
    const detector = new ActiveSpeakerDetector();
    run(detector, { a: LOUD, b: QUIET }, 0, 2000);
    run(detector, { a: QUIET, b: QUIET }, 2100, 6000);
    expect(detector.speaker).to.equal('a');
  });

  it('moves to a new speaker only after the hold time and a full second of lead', () => {
    const detector = new ActiveSpeakerDetector();
    run(detector, { a: LOUD, b: QUIET }, 0, 1000);
    expect(detector.speaker).to.equal('a');
    const seen = run(detector, { a: QUIET, b: LOUD }, 1100, 4000);
    const switchedAt = 1100 + seen.indexOf('b') * 100;
    expect(switchedAt).to.be.at.least(1000 + HOLD_MS);
    expect(switchedAt).to.be.at.least(1100 + LEAD_MS);
  });

  it('does not flicker between two people speaking equally loud, or on short interjections', () => {
    const detector = new ActiveSpeakerDetector();
    let changes = 0;
    let last: string | null = null;
    for (let t = 0; t < 20_000; t += 100) {
      // Two equal voices with noise, and a third who interjects for 0.5 s every 3 s.
      const levels = new Map([
        ['a', LOUD * (0.9 + Math.random() * 0.2)],
        ['b', LOUD * (0.9 + Math.random() * 0.2)],
        ['c', t % 3000 < 500 ? LOUD * 3 : QUIET],
      ]);
      const speaker = detector.update(levels, t);
      if (speaker !== last) changes++;
      last = speaker;
    }
    expect(changes).to.equal(1);
  });

  it('forgets a speaker who left', () => {
    const detector = new ActiveSpeakerDetector();
    run(detector, { a: LOUD, b: QUIET }, 0, 1500);
    expect(detector.update(new Map([['b', QUIET]]), 1600)).to.equal(null);
  });
});
