import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import { Call } from '../../src/core/call.js';
import type { Participant } from '../../src/core/participant.js';
import type { ParticipantStatus } from '../../src/core/protocol.js';
import { uniqueRoom, waitFor } from '../helpers/wait.js';

const remote = (call: Call): Participant | undefined => call.participants.find((p) => !p.local);
const sees = (call: Call, status: Partial<ParticipantStatus>) => () =>
  Object.entries(status).every(([key, value]) => remote(call)?.status?.[key as keyof ParticipantStatus] === value);

describe('Call participant status', () => {
  let ann: Call;
  let bob: Call;
  beforeEach(async () => {
    const room = uniqueRoom();
    ann = new Call(serverUrl);
    bob = new Call(serverUrl);
    await ann.join({ room, name: 'Ann' });
    await bob.join({ room, name: 'Bob', audio: false });
    await waitFor(() => !!remote(ann)?.status && !!remote(bob)?.status, 'both first statuses');
  });
  afterEach(async () => {
    await Promise.all([ann.leave(), bob.leave()]);
  });

  it('reports microphone, camera, hand and recording to the others, and its own status locally', async () => {
    // Bob joined muted: Ann knows from his first report.
    expect(remote(ann)!.status).to.deep.equal({ audio: false, video: true, hand: false, recording: false });
    const changes: (ParticipantStatus | undefined)[] = [];
    bob.addEventListener('statuschange', ({ detail }) => changes.push(detail.participant.status));
    ann.setVideoEnabled(false);
    ann.setStatus({ hand: true, recording: true });
    expect(ann.status).to.deep.equal({ audio: true, video: false, hand: true, recording: true });
    expect(ann.participants[0].status).to.deep.equal(ann.status);
    await waitFor(sees(bob, { video: false, hand: true, recording: true }), 'Bob to see all of it');
    // Changes made together travel together.
    expect(changes).to.have.length(1);
  });

  it('sends a burst of changes as its last state, within the server’s rate', async () => {
    const changes: (ParticipantStatus | undefined)[] = [];
    bob.addEventListener('statuschange', ({ detail }) => changes.push(detail.participant.status));
    for (let i = 0; i < 25; i += 1) {
      ann.setStatus({ hand: i % 2 === 0 });
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    // The last change (i = 24) raised the hand.
    await waitFor(sees(bob, { hand: true }), 'the final state');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(remote(bob)!.status!.hand).to.equal(true);
    // One report per 300 ms over about a second: nowhere near one per change.
    expect(changes.length).to.be.within(1, 6);
  });

  it('reports again after resuming, and the others keep showing it meanwhile', async function () {
    this.timeout(30_000);
    ann.setStatus({ hand: true });
    await waitFor(sees(bob, { hand: true }), 'the hand');
    const seen: (boolean | undefined)[] = [];
    bob.addEventListener('statuschange', ({ detail }) => seen.push(detail.participant.status?.hand));
    expect(await executeServerCommand<void, number>('peercall-drop-sockets')).to.be.at.least(2);
    await waitFor(() => ann.state === 'reconnecting' || ann.state === 'joined', 'Ann to notice');
    await waitFor(() => ann.state === 'joined' && bob.state === 'joined', 'both to resume', 15_000);
    // Someone joining now learns Ann's hand from the server, which has it only if she sent it again.
    const cy = new Call(serverUrl);
    try {
      await cy.join({ room: ann.room!, name: 'Cy' });
      await waitFor(() => cy.participants.find((p) => p.name === 'Ann')?.status?.hand === true, 'Cy to see Ann’s hand');
    } finally {
      await cy.leave();
    }
    expect(seen).to.not.include(undefined);
    expect(seen).to.not.include(false);
  });
});
