import { expect } from '@open-wc/testing';
import { negotiationHold } from '../../src/core/negotiation-hold.js';

/**
 * Real RTCPeerConnections on loopback: a render held by negotiationHold must come after our
 * description and the host ICE candidates that follow it, the messages a peer waits for.
 */
describe('negotiation hold', () => {
  const opened: RTCPeerConnection[] = [];
  afterEach(() => opened.splice(0).forEach((pc) => pc.close()));

  function connection(): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceServers: [] });
    opened.push(pc);
    return pc;
  }

  it('holds nothing while no description is due', async () => {
    const pc = connection();
    pc.addTransceiver('audio');
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
    expect(negotiationHold([pc])).to.equal(null);
  });

  it('releases a render only after the offer and its first ICE candidates went out', async () => {
    const pc = connection();
    pc.addTransceiver('audio');
    pc.addTransceiver('video');
    const log: string[] = [];
    // What PeerJS does: the offer is sent when setLocalDescription() settles, each candidate on its event.
    pc.addEventListener('icecandidate', ({ candidate }) => candidate && log.push('candidate'));
    const hold = negotiationHold([pc]);
    expect(hold).to.be.instanceOf(Promise);
    const rendered = hold!.then(() => log.push('render'));
    await pc.setLocalDescription(await pc.createOffer());
    log.push('offer');
    await rendered;
    expect(log[0]).to.equal('offer');
    expect(log.indexOf('candidate')).to.be.within(1, log.indexOf('render') - 1);
  });

  it('releases a render only after the answer went out, on the answering side', async () => {
    const offerer = connection();
    offerer.addTransceiver('video');
    const answerer = connection();
    await answerer.setRemoteDescription(await offerer.createOffer());
    const log: string[] = [];
    const rendered = negotiationHold([answerer])!.then(() => log.push('render'));
    // A render asked for meanwhile waits, as the newcomer's tile does while the answer is made.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).to.deep.equal([]);
    await answerer.setLocalDescription(await answerer.createAnswer());
    log.push('answer');
    await rendered;
    expect(log).to.deep.equal(['answer', 'render']);
  });

  it('lets a stuck negotiation hold a render for a quarter of a second at most', async () => {
    const offerer = connection();
    offerer.addTransceiver('video');
    const stuck = connection();
    await stuck.setRemoteDescription(await offerer.createOffer());
    const started = performance.now();
    await negotiationHold([stuck]);
    const held = performance.now() - started;
    expect(held).to.be.within(240, 1000);
    // Its share is spent: later renders are not held again.
    expect(negotiationHold([stuck])).to.equal(null);
  });
});
