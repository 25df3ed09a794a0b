import { expect } from '@open-wc/testing';
import { Peer } from 'peerjs';
import serverUrl from '/__peercall-server.js';
import { Call } from '../../src/core/call.js';
import { CallError } from '../../src/core/errors.js';
import type { Participant } from '../../src/core/participant.js';
import { nextEvent, uniqueRoom, waitFor } from '../helpers/wait.js';

describe('Call (core, real server, fake media)', () => {
  const calls: Call[] = [];
  const newCall = (server = serverUrl) => {
    const call = new Call(server);
    calls.push(call);
    return call;
  };
  const remote = (call: Call): Participant[] => call.participants.filter((p) => !p.local);

  afterEach(async () => {
    await Promise.all(calls.splice(0).map((call) => call.leave()));
  });

  it('goes idle → joining → joined and reports its state changes', async () => {
    const call = newCall();
    const states: string[] = [];
    call.addEventListener('statechange', ({ detail }) => states.push(`${detail.previous}→${detail.state}`));
    const joined = nextEvent<CustomEvent>(call, 'joined');
    await call.join({ room: uniqueRoom(), name: 'Ann' });
    expect(states).to.deep.equal(['idle→joining', 'joining→joined']);
    expect((await joined).detail.peerId).to.equal(call.peerId);
    expect(call.localStream?.getVideoTracks()[0].readyState).to.equal('live');
    expect(call.participants).to.have.length(1);
    expect(call.participants[0]).to.include({ local: true, name: 'Ann' });
  });

  it('connects two members of a room with each other’s media and names', async () => {
    const room = uniqueRoom();
    const ann = newCall();
    const bob = newCall();
    await ann.join({ room, name: 'Ann' });
    await bob.join({ room, name: 'Bob' });
    await waitFor(() => remote(ann)[0]?.stream?.getVideoTracks().length === 1, 'Ann to receive Bob’s video');
    await waitFor(() => remote(bob)[0]?.stream?.getVideoTracks().length === 1, 'Bob to receive Ann’s video');
    expect(remote(ann)[0].name).to.equal('Bob');
    expect(remote(bob)[0].name).to.equal('Ann');
    expect(remote(ann)[0].stream?.getAudioTracks()).to.have.length(1);
  });

  it('tells the others promptly when someone leaves, and stops the leaver’s tracks', async () => {
    const room = uniqueRoom();
    const ann = newCall();
    const bob = newCall();
    await ann.join({ room, name: 'Ann' });
    await bob.join({ room, name: 'Bob' });
    await waitFor(() => remote(ann).length === 1, 'Ann to see Bob');
    const tracks = bob.localStream!.getTracks();
    const left = nextEvent<CustomEvent>(ann, 'participantleft', 3000);
    await bob.leave();
    expect((await left).detail.participant.name).to.equal('Bob');
    expect(remote(ann)).to.have.length(0);
    expect(bob.state).to.equal('idle');
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('keeps rooms apart', async () => {
    const ann = newCall();
    const bob = newCall();
    await ann.join({ room: uniqueRoom('a'), name: 'Ann' });
    await bob.join({ room: uniqueRoom('b'), name: 'Bob' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(remote(ann)).to.have.length(0);
    expect(remote(bob)).to.have.length(0);
  });

  it('refuses a call from a peer that is not on its room’s roster', async () => {
    const ann = newCall();
    await ann.join({ room: uniqueRoom('a'), name: 'Ann' });
    // An intruder with a genuine identity, but minted for another room.
    const answer = await fetch(new URL('api/rooms/elsewhere/join', serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"Intruder"}',
    }).then((r) => r.json());
    const server = new URL(serverUrl);
    const intruder = new Peer(answer.peerId, {
      host: server.hostname,
      port: Number(server.port),
      path: '/peerjs',
      key: answer.peer.key,
      token: answer.token,
      config: { iceServers: [] },
    });
    try {
      await new Promise((resolve, reject) => {
        intruder.once('open', resolve);
        intruder.once('error', reject);
      });
      const media = await navigator.mediaDevices.getUserMedia({ video: true });
      const attempt = intruder.call(ann.peerId!, media);
      let gotStream = false;
      attempt.on('stream', () => (gotStream = true));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(gotStream).to.equal(false);
      expect(remote(ann)).to.have.length(0);
      media.getTracks().forEach((t) => t.stop());
    } finally {
      intruder.destroy();
    }
  });

  it('turns microphone and camera off and on without leaving', async () => {
    const call = newCall();
    await call.join({ room: uniqueRoom(), audio: false });
    expect(call.audioEnabled).to.equal(false);
    expect(call.videoEnabled).to.equal(true);
    const change = nextEvent<CustomEvent>(call, 'mediachange');
    call.setVideoEnabled(false);
    expect((await change).detail).to.deep.equal({ audio: false, video: false });
    call.setAudioEnabled(true);
    expect(call.localStream!.getAudioTracks()[0].enabled).to.equal(true);
    expect(call.state).to.equal('joined');
  });

  it('joins with a stream captured beforehand, and stops it on leave', async () => {
    const preview = await navigator.mediaDevices.getUserMedia({ audio: true, video: true });
    const call = newCall();
    await call.join({ room: uniqueRoom(), localStream: preview });
    expect(call.localStream).to.equal(preview);
    await call.leave();
    expect(preview.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('lets someone with neither camera nor microphone watch, whether they join first or second', async () => {
    for (const watcherFirst of [true, false]) {
      const room = uniqueRoom('watch');
      const watcher = newCall();
      const speaker = newCall();
      const joinWatcher = () => watcher.join({ room, name: 'Watcher', localStream: new MediaStream() });
      if (watcherFirst) await joinWatcher();
      await speaker.join({ room, name: 'Speaker' });
      if (!watcherFirst) await joinWatcher();
      await waitFor(
        () => remote(watcher)[0]?.stream?.getVideoTracks().length === 1,
        `the watcher (${watcherFirst ? 'first' : 'second'}) to receive video`,
      );
      expect(remote(speaker).map((p) => p.name)).to.deep.equal(['Watcher']);
      await Promise.all([watcher.leave(), speaker.leave()]);
    }
  });

  it('rejects a bad room name before asking the server', async () => {
    const call = newCall();
    const error = nextEvent<CustomEvent>(call, 'error');
    const joining = call.join({ room: 'no spaces/allowed' });
    await expectCallError(joining, 'room-invalid');
    expect((await error).detail.error.type).to.equal('room-invalid');
    expect(call.state).to.equal('error');
    expect(call.localStream).to.equal(null);
  });

  it('reports an unreachable server and can try again', async () => {
    const call = newCall('http://127.0.0.1:9/');
    await expectCallError(call.join({ room: uniqueRoom() }), 'server-unreachable');
    expect(call.state).to.equal('error');
    await call.leave();
    expect(call.state).to.equal('idle');
  });

  it('stops media when left while still joining', async () => {
    const call = newCall();
    const joining = call.join({ room: uniqueRoom() });
    await call.leave();
    await joining;
    expect(call.state).to.equal('idle');
    expect(call.localStream).to.equal(null);
  });
});

async function expectCallError(promise: Promise<unknown>, type: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(CallError);
    expect((error as CallError).type).to.equal(type);
    return;
  }
  throw new Error(`expected a ${type} CallError`);
}
