import { expect } from '@open-wc/testing';
import {
  audioLevel,
  BETTER_AFTER,
  classify,
  QualityTracker,
  QUALITY_THRESHOLDS,
  readCounters,
  summarize,
  WORSE_AFTER,
  type ConnectionCounters,
} from '../../src/core/call-quality.js';

const counters = (at: number, extra: Partial<ConnectionCounters> = {}): ConnectionCounters => ({
  at,
  packetsReceived: 0,
  packetsLost: 0,
  ...extra,
});

describe('classify', () => {
  it('calls a quiet loopback-like connection good', () => {
    expect(classify({ rtt: 1, loss: 0, jitter: 2, fps: 30, frozen: 0 })).to.equal('good');
    expect(classify({})).to.equal('good');
  });

  it('turns fair and poor at each documented threshold', () => {
    for (const key of ['rtt', 'loss', 'jitter'] as const) {
      const { fair, poor } = QUALITY_THRESHOLDS;
      expect(classify({ [key]: fair[key] * 0.99 }), `${key} just under fair`).to.equal('good');
      expect(classify({ [key]: fair[key] }), `${key} at fair`).to.equal('fair');
      expect(classify({ [key]: poor[key] }), `${key} at poor`).to.equal('poor');
    }
  });

  it('takes the worst figure and ignores frame rate and frozen time', () => {
    expect(classify({ rtt: 20, loss: 0.12 })).to.equal('poor');
    expect(classify({ rtt: 300, loss: 0 })).to.equal('fair');
    expect(classify({ fps: 1, frozen: 0.5 })).to.equal('good');
  });
});

describe('summarize', () => {
  it('turns counters into rates over the span', () => {
    const before = counters(0, { packetsReceived: 1000, packetsLost: 10, framesDecoded: 100, freezeSeconds: 0 });
    const after = counters(2000, {
      packetsReceived: 1900,
      packetsLost: 110,
      framesDecoded: 160,
      freezeSeconds: 0.5,
      rtt: 0.123,
      audioJitter: 0.031,
      videoJitter: 0.05,
      remoteLoss: 0.02,
    });
    expect(summarize(before, after)).to.deep.equal({ rtt: 123, loss: 0.1, jitter: 31, fps: 30, frozen: 0.25 });
  });

  it('reports the worse of inbound and remote-reported loss', () => {
    const summary = summarize(counters(0), counters(1000, { packetsReceived: 100, remoteLoss: 0.2 }));
    expect(summary!.loss).to.equal(0.2);
  });

  it('has nothing to say before media arrives, and calls a connection that stopped delivering poor', () => {
    expect(summarize(counters(0), counters(2000))).to.equal(null);
    const stalled = summarize(counters(0, { packetsReceived: 500 }), counters(2000, { packetsReceived: 500, rtt: 0.01 }));
    expect(stalled!.loss).to.equal(1);
    expect(classify(stalled!)).to.equal('poor');
  });
});

describe('audioLevel', () => {
  it('is the RMS amplitude between two energy readings', () => {
    // A constant amplitude of 0.1 for 2 s adds 0.1² × 2 to the energy.
    expect(audioLevel({ energy: 1, duration: 10 }, { energy: 1.02, duration: 12 })).to.be.closeTo(0.1, 1e-9);
    expect(audioLevel(undefined, { energy: 1, duration: 1 })).to.equal(0);
    expect(audioLevel({ energy: 1, duration: 1 }, { energy: 1, duration: 1 })).to.equal(0);
  });
});

describe('readCounters', () => {
  it('reads a real loopback connection', async () => {
    const a = new RTCPeerConnection();
    const b = new RTCPeerConnection();
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    for (const track of stream.getTracks()) a.addTrack(track, stream);
    // Received audio only has samples (and energy) while something plays it, as the call's <video>s do.
    const speaker = new Audio();
    b.ontrack = ({ track }) => {
      if (track.kind !== 'audio') return;
      speaker.srcObject = new MediaStream([track]);
      void speaker.play();
    };
    await a.setLocalDescription();
    await b.setRemoteDescription(a.localDescription!);
    await b.setLocalDescription();
    await a.setRemoteDescription(b.localDescription!);
    try {
      let read = readCounters(await b.getStats(), 0);
      const ready = () => read.packetsReceived > 0 && (read.remoteAudio?.duration ?? 0) > 0 && read.rtt !== undefined;
      for (let i = 0; i < 40 && !ready(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        read = readCounters(await b.getStats(), 0);
      }
      expect(read.packetsReceived).to.be.above(0);
      expect(read.remoteAudio!.duration).to.be.above(0);
      expect(read.rtt).to.be.a('number');
      const sent = readCounters(await a.getStats(), 0);
      expect(sent.localAudio!.duration).to.be.above(0);
      expect(classify(summarize(counters(0), { ...read, at: 1000 })!)).to.equal('good');
    } finally {
      speaker.srcObject = null;
      stream.getTracks().forEach((track) => track.stop());
      a.close();
      b.close();
    }
  });
});

describe('QualityTracker', () => {
  it('shows the first reading at once, worse news after two readings and better news after three', () => {
    const tracker = new QualityTracker();
    expect(tracker.update('good')).to.equal(true);
    const worse = Array.from({ length: WORSE_AFTER }, () => tracker.update('poor'));
    expect(worse).to.deep.equal([...Array(WORSE_AFTER - 1).fill(false), true]);
    expect(tracker.quality).to.equal('poor');
    const better = Array.from({ length: BETTER_AFTER }, () => tracker.update('good'));
    expect(better).to.deep.equal([...Array(BETTER_AFTER - 1).fill(false), true]);
  });

  it('does not change on readings that alternate', () => {
    const tracker = new QualityTracker();
    tracker.update('good');
    const changes = ['fair', 'good', 'fair', 'good', 'poor', 'good'].map((q) => tracker.update(q as 'good'));
    expect(changes.every((changed) => !changed)).to.equal(true);
    expect(tracker.quality).to.equal('good');
  });
});
