import { expect } from '@open-wc/testing';
import serverUrl from '/__peercall-server.js';
import { Call } from '../../src/core/call.js';
import type { Participant } from '../../src/core/participant.js';
import { recordPeerConnections } from '../helpers/peer-connections.js';
import { uniqueRoom, waitFor } from '../helpers/wait.js';

const connections = recordPeerConnections();

const remote = (call: Call): Participant | undefined => call.participants.find((p) => !p.local);
const live = (p?: Participant) => p?.connection === 'connected' && p.stream?.getVideoTracks()[0]?.readyState === 'live';

describe('Call media-path recovery', () => {
  it('places the call again when the media connection to a member still in the room dies', async () => {
    const room = uniqueRoom();
    const ann = new Call(serverUrl);
    const bob = new Call(serverUrl);
    try {
      await ann.join({ room, name: 'Ann' });
      await bob.join({ room, name: 'Bob' });
      await waitFor(() => live(remote(ann)) && live(remote(bob)), 'the first connection');
      const before = connections.filter((pc) => pc.connectionState === 'connected');
      expect(before).to.have.length(2);
      const states: string[] = [];
      ann.addEventListener('participantchange', ({ detail }) => states.push(detail.participant.connection));

      // Kill both ends without PeerJS knowing: to the call this looks like a path that failed.
      for (const pc of before) pc.close();
      await waitFor(() => states.includes('reconnecting'), 'Ann to notice', 20_000);
      await waitFor(
        () => live(remote(ann)) && live(remote(bob)) && connections.filter((pc) => pc.connectionState === 'connected').length === 2,
        'a new connection both ways',
        20_000,
      );
      expect(remote(ann)!.name).to.equal('Bob');
      expect(connections.filter((pc) => pc.connectionState === 'connected').every((pc) => !before.includes(pc))).to.equal(true);
    } finally {
      await Promise.all([ann.leave(), bob.leave()]);
    }
  });
});
