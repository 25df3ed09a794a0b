import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import { Call } from '../../src/core/call.js';
import type { Participant } from '../../src/core/participant.js';
import { recordPeerConnections } from '../helpers/peer-connections.js';
import { uniqueRoom, waitFor } from '../helpers/wait.js';

const remote = (call: Call): Participant | undefined => call.participants.find((p) => !p.local);

const connections = recordPeerConnections();

/** Total video bytes received by the page so far, over every connected peer connection. */
async function videoBytesReceived(): Promise<number> {
  let bytes = 0;
  for (const pc of connections.filter((c) => c.connectionState === 'connected')) {
    (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') bytes += r.bytesReceived ?? 0;
    });
  }
  return bytes;
}

/** Polls the received byte count until `accept` holds (bounded), and returns it. */
async function eventuallyBytes(accept: (bytes: number) => boolean, what: string): Promise<number> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    const bytes = await videoBytesReceived();
    if (accept(bytes)) return bytes;
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what} (${bytes} bytes)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Call signaling resume', () => {
  it('keeps its peer id and its media when the server connection drops, and comes back', async function () {
    this.timeout(40_000);
    const room = uniqueRoom();
    const ann = new Call(serverUrl);
    const bob = new Call(serverUrl);
    try {
      await ann.join({ room, name: 'Ann' });
      await bob.join({ room, name: 'Bob' });
      await waitFor(() => remote(ann)?.connection === 'connected' && remote(bob)?.connection === 'connected', 'media');
      const ids = [ann.peerId, bob.peerId];
      const states: string[] = [];
      ann.addEventListener('statechange', ({ detail }) => states.push(detail.state));
      const before = await eventuallyBytes((bytes) => bytes > 0, 'video to flow');

      expect(await executeServerCommand<void, number>('peercall-drop-sockets')).to.be.at.least(2);
      await waitFor(() => states.includes('reconnecting'), 'Ann to notice the drop');
      await waitFor(() => ann.state === 'joined' && bob.state === 'joined', 'both to resume', 15_000);

      expect([ann.peerId, bob.peerId]).to.deep.equal(ids);
      expect(remote(ann)?.peerId).to.equal(bob.peerId);
      expect(remote(bob)?.peerId).to.equal(ann.peerId);
      await eventuallyBytes((bytes) => bytes > before, 'video to keep flowing');
      // The same media connections, not new ones.
      expect(connections.filter((c) => c.connectionState !== 'closed')).to.have.length(2);

      // And the room still works for someone new.
      const cat = new Call(serverUrl);
      try {
        await cat.join({ room, name: 'Cat' });
        await waitFor(() => cat.participants.filter((p) => !p.local && p.connection === 'connected').length === 2, 'Cat to reach both');
      } finally {
        await cat.leave();
      }
    } finally {
      await Promise.all([ann.leave(), bob.leave()]);
    }
  });

  it('tells the others at once when someone hangs up, rather than waiting for their media to time out', async () => {
    const room = uniqueRoom();
    const ann = new Call(serverUrl);
    const bob = new Call(serverUrl);
    try {
      await ann.join({ room, name: 'Ann' });
      await bob.join({ room, name: 'Bob' });
      await waitFor(() => remote(ann)?.connection === 'connected', 'media');
      const started = performance.now();
      await bob.leave();
      await waitFor(() => remote(ann) === undefined, 'Bob to be gone', 2_000);
      expect(performance.now() - started).to.be.below(2_000);
    } finally {
      await Promise.all([ann.leave(), bob.leave()]);
    }
  });
});
