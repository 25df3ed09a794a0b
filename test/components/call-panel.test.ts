import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import serverUrl from '/__peercall-server.js';
import '../../src/index.js';
import '../../src/components/call-panel/call-panel.js';
import type { CallPanel } from '../../src/components/call-panel/call-panel.js';
import { callIn } from '../helpers/elements.js';
import { nextEvent, uniqueRoom, waitFor } from '../helpers/wait.js';

const dialog = (panel: CallPanel) => panel.shadowRoot!.querySelector<HTMLElement>('[part="base"]')!;

describe('<call-panel>', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('floats in the bottom corner on desktop and leaves the rest of the page usable', async () => {
    await setViewport({ width: 1280, height: 800 });
    const panel = await fixture<CallPanel>(
      html`<call-panel room=${uniqueRoom()} server=${serverUrl} label="Help desk"></call-panel>`,
    );
    const toggle = nextEvent<CustomEvent>(panel, 'call-panel-toggle');
    await panel.show();
    expect((await toggle).detail).to.deep.equal({ open: true, minimized: false });
    const rect = dialog(panel).getBoundingClientRect();
    expect(rect.right).to.be.closeTo(1280 - 16, 1);
    expect(rect.bottom).to.be.closeTo(800 - 16, 1);
    expect(rect.width).to.be.closeTo(380, 1);
    expect(rect.height).to.be.closeTo(560, 1);
    expect(document.elementFromPoint(200, 200)).not.to.equal(panel);
    await expect(panel).to.be.accessible();
    panel.close();
  });

  it('opens on the left in right-to-left pages', async () => {
    await setViewport({ width: 1280, height: 800 });
    const wrapper = await fixture<HTMLDivElement>(
      html`<div dir="rtl"><call-panel room=${uniqueRoom()} server=${serverUrl}></call-panel></div>`,
    );
    const panel = wrapper.querySelector('call-panel')!;
    await panel.show();
    expect(dialog(panel).getBoundingClientRect().left).to.be.closeTo(16, 1);
    panel.close();
  });

  it('fills the screen on a phone, and minimizes to a bar at the bottom', async () => {
    await setViewport({ width: 375, height: 667 });
    const panel = await fixture<CallPanel>(html`<call-panel room=${uniqueRoom()} server=${serverUrl}></call-panel>`);
    await panel.show();
    let rect = dialog(panel).getBoundingClientRect();
    expect([rect.left, rect.top, rect.width, rect.height]).to.deep.equal([0, 0, 375, 667]);
    panel.minimize();
    await panel.updateComplete;
    rect = dialog(panel).getBoundingClientRect();
    expect(rect.bottom).to.equal(667);
    expect(rect.width).to.equal(375);
    expect(rect.height).to.be.below(80);
    await expect(panel).to.be.accessible();
    panel.close();
  });

  it('keeps its call when moved in the page, and leaves it when closed', async () => {
    const panel = await fixture<CallPanel>(html`<call-panel room=${uniqueRoom()} server=${serverUrl}></call-panel>`);
    await panel.show();
    const call = callIn(panel);
    await waitFor(() => call.state === 'joined', 'the panel call to join');
    const elsewhere = document.createElement('aside');
    document.body.append(elsewhere);
    elsewhere.append(panel);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dialog(panel).matches(':popover-open')).to.equal(true);
    expect(call.state).to.equal('joined');
    const left = nextEvent<CustomEvent>(panel, 'call-left');
    panel.close();
    expect((await left).detail.reason).to.equal('user');
    await panel.updateComplete;
    expect(callIn(panel)).to.equal(null);
    expect(dialog(panel).matches(':popover-open')).to.equal(false);
    elsewhere.remove();
  });

  it('closes when the call is left from its own Leave button', async () => {
    const panel = await fixture<CallPanel>(html`<call-panel room=${uniqueRoom()} server=${serverUrl}></call-panel>`);
    await panel.show();
    const call = callIn(panel);
    await waitFor(() => call.state === 'joined', 'the panel call to join');
    const closed = nextEvent<CustomEvent>(panel, 'call-panel-toggle');
    await call.leave();
    expect((await closed).detail).to.deep.equal({ open: false, minimized: false });
  });
});
