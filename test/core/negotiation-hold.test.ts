import { expect } from '@open-wc/testing';
import { negotiationHold } from '../../src/core/negotiation-hold.js';

/**
 * Real RTCPeerConnections on loopback: a render held by negotiationHold must come after our
 * description and the host ICE candidates that follow it, the messages a peer waits for, and on
 * the offering side after the answer, which must find the main thread free.
 */
describe('negotiation hold', () => {
  const opened: RTCPeerConnection[] = [];
  afterEach(() => opened.splice(0).forEach((pc) => pc.close()));

  function connection(): RTCPeerConnection {
    const pc = new RTCPeerConnection({ iceServers: [] });
    opened.push(pc);
    return pc;
  }

  it('holds nothing once the exchange is over and the candidates are out', async () => {
    const pc = connection();
    pc.addTransceiver('audio');
    const answerer = connection();
    await pc.setLocalDescription(await pc.createOffer());
    await answerer.setRemoteDescription(pc.localDescription!);
    await answerer.setLocalDescription(await answerer.createAnswer());
    await pc.setRemoteDescription(answerer.localDescription!);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pc.signalingState).to.equal('stable');
    // Compared here, not by chai: a failed assertion's Promise would not cross to the test runner.
    expect(negotiationHold([pc]) === null, 'no hold').to.equal(true);
  });

  it('releases a render only after the offer, its first ICE candidates and the answer', async () => {
    const pc = connection();
    pc.addTransceiver('audio');
    pc.addTransceiver('video');
    const answerer = connection();
    const log: string[] = [];
    // What PeerJS does: the offer is sent when setLocalDescription() settles, each candidate on its event.
    pc.addEventListener('icecandidate', ({ candidate }) => candidate && log.push('candidate'));
    const hold = negotiationHold([pc]);
    expect(hold).to.be.instanceOf(Promise);
    const rendered = hold!.then(() => log.push('render'));
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    log.push('offer');
    // The answer takes a while to come: the render keeps waiting, with the candidates already out.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(log[0]).to.equal('offer');
    expect(log).to.include('candidate');
    expect(log).not.to.include('render');
    await answerer.setRemoteDescription(offer);
    await answerer.setLocalDescription(await answerer.createAnswer());
    await pc.setRemoteDescription(answerer.localDescription!);
    log.push('answer');
    await rendered;
    // After the answer (logged before this wait); a late candidate of the burst may come between.
    expect(log.at(-1)).to.equal('render');
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
    expect(negotiationHold([stuck]) === null, 'no hold').to.equal(true);
  });
});
