import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/call-button/call-button.js';
import type { CallButton } from '../../src/components/call-button/call-button.js';
import { nextEvent } from '../helpers/wait.js';

const base = (el: CallButton) => el.shadowRoot!.querySelector('button')!;

describe('<call-button>', () => {
  it('fires a cancelable, composed call-request with its action', async () => {
    const el = await fixture<CallButton>(html`<call-button action="leave"></call-button>`);
    const request = nextEvent<CustomEvent>(el, 'call-request');
    base(el).click();
    const event = await request;
    expect(event.detail).to.deep.equal({ action: 'leave' });
    expect(event.cancelable && event.bubbles && event.composed).to.equal(true);
  });

  it('is a real, labelled button for each action', async () => {
    const el = await fixture<CallButton>(html`<call-button action="leave"></call-button>`);
    expect(base(el).textContent?.trim()).to.equal('Leave');
    await expect(el).to.be.accessible();
    el.action = 'toggle-video';
    el.pressed = true;
    await el.updateComplete;
    expect(base(el).getAttribute('aria-label')).to.equal('Camera');
    expect(base(el).getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
  });

  it('uses slotted text as its label', async () => {
    const el = await fixture<CallButton>(html`<call-button action="join">Talk to us</call-button>`);
    const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('[part="label"] slot')!;
    expect(slot.assignedNodes()[0].textContent).to.equal('Talk to us');
  });

  it('does nothing when disabled', async () => {
    const el = await fixture<CallButton>(html`<call-button action="join" disabled></call-button>`);
    let fired = false;
    el.addEventListener('call-request', () => (fired = true));
    base(el).click();
    expect(base(el).disabled).to.equal(true);
    expect(fired).to.equal(false);
  });
});
