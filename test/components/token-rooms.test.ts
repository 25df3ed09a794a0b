import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import { joinToken } from '/__peercall-tokens.js';
import '../../src/index.js';
import type { CallButton } from '../../src/components/call-button/call-button.js';
import type { VideoCall } from '../../src/components/video-call/video-call.js';
import type { CallKnockEvent } from '../../src/events/call-knock.js';
import type { CallLeftEvent } from '../../src/events/call-left.js';
import {
  announcement,
  callIn,
  control,
  deepActiveElement,
  nativeButton,
  panelOf,
  retryButton,
  statusText,
  tileOf,
} from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor } from '../helpers/wait.js';

// The test server's token rooms (test/helpers/peercall-server-plugin.js): `tok-*` need a join
// token, `wait-*` also have a waiting room. Tokens are real, signed on the Node side.

const shadow = (el: Element) => el.shadowRoot!;
const parts = <E extends Element = HTMLElement>(el: Element, name: string) => [
  ...shadow(el).querySelectorAll<E>(`[part~="${name}"]`),
];

/** Adds a `<video-call>` for `room` to the page, with a token for `name` in `role`, and joins it. */
async function participant(room: string, name: string, role: 'host' | 'guest' = 'guest'): Promise<VideoCall> {
  const el = document.createElement('video-call');
  // Each gets its own jti: a host's removal blocks everyone holding the same invitation.
  const token = await joinToken({ room, role, name, jti: `${name}-${Math.random()}` });
  Object.assign(el, { room, server: serverUrl, token });
  document.body.append(el);
  void el.join().catch(() => {});
  return el;
}

/** A host and a guest in one token room (no waiting room), both joined and seeing each other. */
async function hostAndGuest(guestName = 'Bob'): Promise<{ host: VideoCall; guest: VideoCall }> {
  const room = uniqueRoom('tok');
  const host = await participant(room, 'Hana', 'host');
  await waitFor(() => host.state === 'joined', 'the host to join');
  const guest = await participant(room, guestName);
  await waitFor(() => guest.state === 'joined', 'the guest to join');
  await waitFor(() => host.participants.length === 2, 'the host to see the guest');
  // Controls learn the call's state when the call renders: let both render before reading them.
  await host.updateComplete;
  await guest.updateComplete;
  return { host, guest };
}

async function leaveAll(...calls: VideoCall[]): Promise<void> {
  for (const call of calls) {
    await call.leave();
    call.remove();
  }
}

describe('<video-call> in token rooms', () => {
  it('passes its token to the join, keeps it out of the attribute, and explains a missing one', async () => {
    const room = uniqueRoom('tok');
    const el = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl}></video-call>`);
    const error = nextEvent<CustomEvent>(el, 'call-error');
    await el.join().catch(() => {});
    expect((await error).detail.type).to.equal('unauthorized');
    await el.updateComplete;
    expect(statusText(el)).to.contain('This room needs an invitation');
    // The same (missing) token would be refused again: no Try again until the page sets a new one.
    expect(retryButton(el)).to.equal(null);
    await expect(el).to.be.accessible();

    el.token = await joinToken({ room, name: 'Invited Ann' });
    await el.updateComplete;
    expect(el.hasAttribute('token')).to.equal(false);
    retryButton(el)!.click();
    await waitFor(() => el.state === 'joined', 'the join with a token');
    // The token's name wins over the one typed into the pre-join view.
    expect(el.participants[0].name).to.equal('Invited Ann');
    expect(el.roomControl.role).to.equal('guest');
    await el.leave();
  });

  it('says so when the token is for another room', async () => {
    const el = await fixture<VideoCall>(html`<video-call room=${uniqueRoom('tok')} server=${serverUrl}></video-call>`);
    el.token = await joinToken({ room: uniqueRoom('tok') });
    await el.join().catch(() => {});
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(statusText(el)).to.contain('This invitation is not valid here');
  });

  it('waits for a host in a waiting room, says so, and Cancel stops knocking', async () => {
    const room = uniqueRoom('wait');
    const token = await joinToken({ room, name: 'Gus' });
    const el = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl} .token=${token}></video-call>`);
    const states: string[] = [];
    el.addEventListener('call-state-change', (e) => states.push(e.detail.state));
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.focus();
    shadow(el).querySelector<HTMLButtonElement>('[part="join-button"]')!.click();
    await waitFor(() => el.state === 'waiting', 'the waiting room');
    await el.updateComplete;
    expect(el.matches(':state(waiting)')).to.equal(true);
    expect(statusText(el)).to.equal('Waiting for the host to let you in…');
    expect(announcement(el)).to.contain('Waiting for the host to let you in…');
    const cancel = parts<HTMLButtonElement>(el, 'cancel-button')[0];
    expect(cancel.textContent?.trim()).to.equal('Cancel');
    // The Join button the user pressed is gone; focus moves to what they can do now.
    expect(deepActiveElement()).to.equal(cancel);
    await expect(el).to.be.accessible();

    const left = nextEvent<CallLeftEvent>(el, 'call-left');
    cancel.click();
    expect((await left).detail.reason).to.equal('user');
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(states).to.deep.equal(['joining', 'waiting', 'leaving', 'idle']);
    // Nobody saw this guest, so there is no "You left the call."
    expect(statusText(el)).not.to.contain('You left the call.');
  });

  it('shows the waiting view and host controls in Chinese', async () => {
    const room = uniqueRoom('wait');
    const token = await joinToken({ room, name: 'Gus' });
    const el = await fixture<VideoCall>(
      html`<video-call lang="zh-CN" room=${room} server=${serverUrl} .token=${token}></video-call>`,
    );
    await waitFor(() => shadow(el).querySelector('[part="join-button"]')?.textContent?.trim() === '加入通话', 'Chinese');
    // join() resolves only once a host lets us in.
    void el.join().catch(() => {});
    await waitFor(() => el.state === 'waiting', 'the waiting room');
    await el.updateComplete;
    expect(statusText(el)).to.equal('正在等待主持人让你进入…');
    expect(parts(el, 'cancel-button')[0].textContent?.trim()).to.equal('取消');
    await el.leave();

    const host = await fixture<VideoCall>(
      html`<video-call lang="zh-CN" room=${room} server=${serverUrl}
        .token=${await joinToken({ room, role: 'host', name: 'Hana' })}></video-call>`,
    );
    await host.join();
    await host.updateComplete;
    const lock = control(host, 'toggle-lock');
    await lock.updateComplete;
    expect(nativeButton(lock).getAttribute('aria-label')).to.equal('锁定房间');
    await host.leave();
  });

  it('shows knocks to a host as text; the host admits one guest and declines another', async () => {
    const room = uniqueRoom('wait');
    const host = await participant(room, 'Hana', 'host');
    await waitFor(() => host.state === 'joined', 'the host to join');
    expect(host.roomControl.role).to.equal('host');
    // Hosts go straight in, and get the host view.
    await host.updateComplete;
    expect(host.matches(':state(host)')).to.equal(true);
    expect(parts(host, 'knock-list')).to.have.length(0);

    const knocks: string[] = [];
    host.addEventListener('call-knock', (e: CallKnockEvent) => knocks.push(e.detail.name));
    const eve = await participant(room, '<b>Eve</b>');
    await waitFor(() => eve.state === 'waiting', 'Eve to knock');
    const dan = await participant(room, 'Dan');
    await waitFor(() => dan.state === 'waiting', 'Dan to knock');
    await waitFor(() => parts(host, 'knock').length === 2, 'two knocks on the host’s list');
    expect(knocks).to.deep.equal(['<b>Eve</b>', 'Dan']);
    const [eveKnock, danKnock] = parts(host, 'knock');
    // Names are text, never markup.
    expect(eveKnock.textContent).to.contain('<b>Eve</b>');
    expect(eveKnock.querySelector('b')).to.equal(null);
    expect(shadow(host).querySelector('[part="knock-list"]')!.textContent).to.contain('Waiting to join (2)');
    expect(announcement(host)).to.contain('<b>Eve</b> is asking to join.');
    const admitEve = eveKnock.querySelector<HTMLButtonElement>('[part="admit-button"]')!;
    expect(admitEve.getAttribute('aria-label')).to.equal('Admit <b>Eve</b>');
    expect(danKnock.querySelector('[part="decline-button"]')!.getAttribute('aria-label')).to.equal('Decline Dan');
    await expect(host).to.be.accessible();

    admitEve.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => eve.state === 'joined', 'Eve to be admitted');
    await waitFor(() => host.participants.some((p) => p.name === '<b>Eve</b>'), 'the host to see Eve');
    // Eve's entry is gone; focus went on to the next knock.
    await waitFor(() => parts(host, 'knock').length === 1, 'one knock left');
    await host.updateComplete;
    expect(deepActiveElement()).to.equal(parts(host, 'admit-button')[0]);

    parts<HTMLButtonElement>(host, 'decline-button')[0].click();
    await waitFor(() => dan.state === 'error', 'Dan to be declined');
    await dan.updateComplete;
    expect(statusText(dan)).to.contain('The host did not let you in.');
    // Knocking again is up to Dan.
    expect(retryButton(dan)).not.to.equal(null);
    await waitFor(() => parts(host, 'knock-list').length === 0, 'the knock list to close');
    await leaveAll(host, eve, dan);
  });

  it('shows host controls to hosts only, and a host locks and unlocks the room', async () => {
    const { host, guest } = await hostAndGuest();
    // The guest sees no host controls.
    await guest.updateComplete;
    expect(guest.matches(':state(host)')).to.equal(false);
    expect(parts(guest, 'tile-actions')).to.have.length(0);
    expect(control(guest, 'toggle-lock')).to.equal(null);

    const actions = tileOf(host, guest.participants[0].peerId).querySelector('[part="tile-actions"]')!;
    expect(actions.getAttribute('aria-label')).to.equal('Host controls for Bob');
    expect(actions.querySelector('[part~="mute-button"]')!.getAttribute('aria-label')).to.equal('Ask Bob to mute');
    expect(actions.querySelector('[part~="remove-button"]')!.getAttribute('aria-label')).to.equal('Remove Bob');
    expect(parts(host, 'tile-actions')).to.have.length(1);
    const lock = control(host, 'toggle-lock');
    await lock.updateComplete;
    expect(nativeButton(lock).getAttribute('aria-label')).to.equal('Lock room');
    expect(nativeButton(lock).getAttribute('aria-pressed')).to.equal('false');
    expect(nativeButton(lock).title).to.equal('Lock the room: nobody else can join');
    await expect(host).to.be.accessible();

    const request = nextEvent<CustomEvent>(host, 'call-request');
    nativeButton(lock).click();
    expect((await request).detail.action).to.equal('toggle-lock');
    await waitFor(() => host.roomControl.locked, 'the room to lock');
    await host.updateComplete;
    await lock.updateComplete;
    expect(nativeButton(lock).getAttribute('aria-pressed')).to.equal('true');
    expect(host.matches(':state(locked)')).to.equal(true);
    expect(announcement(host)).to.contain('The room is locked');

    const late = await participant(host.room, 'Lee');
    await waitFor(() => late.state === 'error', 'the locked room to refuse Lee');
    await late.updateComplete;
    expect(statusText(late)).to.contain('The host has locked this room');

    nativeButton(lock).click();
    await waitFor(() => !host.roomControl.locked, 'the room to unlock');
    retryButton(late)!.click();
    await waitFor(() => late.state === 'joined', 'Lee to join the unlocked room');
    await leaveAll(host, guest, late);
  });

  it('asks a participant to mute: their microphone turns off and they are told why', async () => {
    const { host, guest } = await hostAndGuest();
    const mic = control(guest, 'toggle-audio');
    await mic.updateComplete;
    expect(nativeButton(mic).getAttribute('aria-pressed')).to.equal('true');

    const muted = nextEvent<CustomEvent>(guest, 'call-muted-by-host');
    tileOf(host, guest.participants[0].peerId).querySelector<HTMLButtonElement>('[part~="mute-button"]')!.click();
    await muted;
    await guest.updateComplete;
    await mic.updateComplete;
    expect(guest.participants[0].stream!.getAudioTracks()[0].enabled).to.equal(false);
    expect(nativeButton(mic).getAttribute('aria-pressed')).to.equal('false');
    expect(statusText(guest)).to.contain('A host muted your microphone.');
    expect(announcement(guest)).to.contain('A host muted your microphone.');
    await waitFor(() => statusText(host).includes('Asked Bob to mute.'), 'the host to see it was asked');

    // Turning the microphone back on is the guest's own choice, and ends the notice.
    nativeButton(mic).click();
    await guest.updateComplete;
    expect(statusText(guest)).not.to.contain('A host muted your microphone.');
    await leaveAll(host, guest);
  });

  it('removes a participant after a confirmation; they cannot come back with their token', async () => {
    const { host, guest } = await hostAndGuest();
    const peerId = guest.participants[0].peerId;
    const removeButton = () => tileOf(host, peerId).querySelector<HTMLButtonElement>('[part~="remove-button"]')!;
    removeButton().click();
    await host.updateComplete;
    const confirm = shadow(host).querySelector<HTMLElement>('[part="remove-confirm"]')!;
    expect(confirm.textContent).to.contain('Remove Bob from the call?');
    // The safe answer has the focus; Escape takes it.
    expect(deepActiveElement()!.textContent?.trim()).to.equal('Cancel');
    await expect(host).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await host.updateComplete;
    expect(shadow(host).querySelector('[part="remove-confirm"]')).to.equal(null);
    expect(deepActiveElement()).to.equal(removeButton());
    expect(guest.state).to.equal('joined');

    removeButton().click();
    await host.updateComplete;
    const left = nextEvent<CallLeftEvent>(guest, 'call-left');
    const confirmRemove = [...shadow(host).querySelectorAll<HTMLButtonElement>('[part="remove-confirm"] button')].find(
      (b) => b.textContent?.trim() === 'Remove',
    )!;
    confirmRemove.click();
    expect((await left).detail.reason).to.equal('removed-by-host');
    await guest.updateComplete;
    expect(guest.state).to.equal('error');
    expect(statusText(guest)).to.contain('A host removed you from the call.');
    expect(retryButton(guest)).to.equal(null);
    await waitFor(() => host.participants.length === 1, 'the host to see the guest gone');
    // The same token is refused from now on.
    const again = await guest.join().catch((error) => error);
    expect(again.type).to.equal('removed');
    await leaveAll(host, guest);
  });

  it('shows a refused host control as a passing status line', async () => {
    const room = uniqueRoom('tok');
    const host = await participant(room, 'Hana', 'host');
    await waitFor(() => host.state === 'joined', 'the host to join');
    const error = await host.control('mute', 'nobody-here').catch((e) => e);
    expect(error.type).to.equal('server-error');
    await host.updateComplete;
    expect(statusText(host)).to.contain('That did not work');
    expect(announcement(host)).to.contain('That did not work');
    // A guest's controls are refused by the server too.
    const guest = await participant(room, 'Gia');
    await waitFor(() => guest.state === 'joined', 'the guest to join');
    const refused = await guest.control('lock').catch((e) => e);
    expect(refused.type).to.equal('forbidden');
    await leaveAll(host, guest);
  });
});

describe('<video-call> limits', () => {
  it('says so in the element when the room is full', async () => {
    const room = uniqueRoom();
    // Six identities minted by the real server fill the room (the default limit).
    for (let i = 0; i < 6; i += 1) {
      const response = await fetch(new URL(`api/rooms/${room}/join`, serverUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Filler ${i}` }),
      });
      expect(response.status).to.equal(200);
    }
    const el = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl}></video-call>`);
    const error = nextEvent<CustomEvent>(el, 'call-error');
    await el.join().catch(() => {});
    expect((await error).detail.type).to.equal('room-full');
    await el.updateComplete;
    expect(statusText(el)).to.contain('This room is full');
    expect(retryButton(el)).not.to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<call-button> and <call-panel> in token rooms', () => {
  it('pass token and relay-only on to the panel’s call', async () => {
    const room = uniqueRoom('tok');
    const token = await joinToken({ room, name: 'Paula' });
    const button = await fixture<CallButton>(
      html`<call-button room=${room} server=${serverUrl} .token=${token} relay-only hide-presence>Talk to us</call-button>`,
    );
    expect(button.hasAttribute('token')).to.equal(false);
    nativeButton(button).click();
    await waitFor(() => !!panelOf(button) && !!callIn(panelOf(button)), 'the panel and its call');
    const panel = panelOf(button);
    const call = callIn(panel);
    expect(panel.token).to.equal(token);
    expect(panel.relayOnly).to.equal(true);
    expect(call.token).to.equal(token);
    expect(call.relayOnly).to.equal(true);
    await waitFor(() => call.state === 'joined', 'the panel’s call to join the token room');
    expect(call.participants[0].name).to.equal('Paula');
    panel.close();
    await waitFor(() => call.state === 'idle' || !call.isConnected, 'the call to end');
  });

  it('disables a slotted lock toggle for guests', async () => {
    const room = uniqueRoom('tok');
    const token = await joinToken({ room, name: 'Gina' });
    const call = await fixture<VideoCall>(html`<video-call room=${room} server=${serverUrl} .token=${token}>
      <div slot="controls"><call-button action="toggle-lock"></call-button></div>
    </video-call>`);
    await call.join();
    const lock = call.querySelector<CallButton>('call-button')!;
    await lock.updateComplete;
    expect(nativeButton(lock).disabled).to.equal(true);
    expect(lock.pressed).to.equal(false);
    await call.leave();
  });
});
