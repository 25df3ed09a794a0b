import { expect } from '@open-wc/testing';
import serverUrl from '/__peercall-server.js';
import { Call } from '../../src/core/call.js';
import { limitsFor } from '../../src/core/mesh-governor.js';
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
});
