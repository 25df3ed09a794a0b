/**
 * `npm run bench:timeline`: where the time of a join goes, read inside both pages. Same set-up as
 * the connect benchmark (A in, t0 = B's Join click); prints, per run and page, the PeerJS socket's
 * messages, the RTCPeerConnection steps, when each <video> got its stream and started playing, and
 * main-thread stalls (BUSY: a zero-delay timer late by over 20 ms; LONG: long tasks), in ms from
 * t0, including each track's first packet (`track unmute`) and the connection's DTLS (`pc connected`).
 * CORE_PAGE=1 puts peercall's core Call (bench/pages/core-mesh.ts with its lobby ready, as in the
 * connect benchmark; `GOV=0` without the mesh governor) where the plain PeerJS page would be. RUNS (default 3) sets the runs; SETTLE_MS (default 0) a pause between A's join and B's click; PLAIN=1 adds the plain PeerJS page after each run.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer-core';
import { callState, eventually, launchChromium, openPage } from '../test/e2e/harness.js';
import { allRemoteFramesAt, BENCH_CHROMIUM_ARGS, clickJoinAt, firstFrames, lobbyReady, recordRemoteFrames } from './frames.js';
import { buildBenchPages, startChildServer } from './servers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 3);
/** How long A settles after joining before B's click: 0, as in the benchmark; more to see B alone. */
const SETTLE_MS = Number(process.env.SETTLE_MS ?? 0);

// A string, not a function: tsx would wrap a function's inner arrows in a helper the page lacks.
const RECORDER = `(() => {
  const log = [];
  window.__timeline = log;
  const at = () => performance.timeOrigin + performance.now();
  const note = (what) => log.push([at(), what]);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    let t = 'bin';
    try { t = JSON.parse(data).type; } catch {}
    note('ws> ' + t);
    return send.call(this, data);
  };
  const Native = WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    note('ws new');
    ws.addEventListener('open', () => note('ws open'));
    ws.addEventListener('message', (e) => { let t = '?'; try { t = JSON.parse(e.data).type; } catch {} note('ws< ' + t); });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  const sp = RTCRtpSender.prototype.setParameters;
  RTCRtpSender.prototype.setParameters = function (...a) {
    note('sender setParameters');
    return sp.apply(this, a);
  };
  const P = RTCPeerConnection.prototype;
  for (const m of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
    const orig = P[m];
    P[m] = function (...a) {
      note('pc ' + m + (a[0] && a[0].type ? '(' + a[0].type + ')' : ''));
      const r = orig.apply(this, a);
      if (r && r.then) r.then(() => note('pc ' + m + ' done'), () => note('pc ' + m + ' failed'));
      return r;
    };
  }
  const cdc = P.createDataChannel;
  P.createDataChannel = function (...a) { note('pc createDataChannel'); return cdc.apply(this, a); };
  const NPC = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...a) {
    const pc = new NPC(...a);
    note('pc new');
    pc.addEventListener('iceconnectionstatechange', () => note('ice ' + pc.iceConnectionState));
    pc.addEventListener('track', (e) => {
      note('pc track');
      e.track.addEventListener('unmute', () => note('track unmute ' + e.track.kind), { once: true });
    });
    pc.addEventListener('connectionstatechange', () => note('pc ' + pc.connectionState));
    pc.addEventListener('icegatheringstatechange', () => note('gathering ' + pc.iceGatheringState));
    return pc;
  };
  window.RTCPeerConnection.prototype = NPC.prototype;
  const desc = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    get() { return desc.get.call(this); },
    set(v) {
      if (!this.muted || !this.__seen) {
        this.__seen = true;
        for (const ev of ['loadedmetadata', 'playing']) this.addEventListener(ev, () => note('video ' + ev + (this.muted ? ' (muted)' : '')), { once: true });
      }
      note('video srcObject=' + (v ? 'stream' : 'null') + (this.muted ? ' (muted el)' : ''));
      desc.set.call(this, v);
    },
  });
  for (const name of ['video-call', 'call-chat', 'call-participants']) {
    customElements.whenDefined(name).then(() => {
      const proto = customElements.get(name).prototype;
      const perform = proto.performUpdate;
      proto.performUpdate = function () {
        const start = performance.now();
        const result = perform.call(this);
        log.push([performance.timeOrigin + start, 'render ' + name + ' ' + Math.round(performance.now() - start) + 'ms']);
        return result;
      };
    });
  }
  let last = performance.now();
  const tick = () => { const now = performance.now(); if (now - last > 20) log.push([performance.timeOrigin + last, 'BUSY ' + Math.round(now - last) + 'ms']); last = now; setTimeout(tick, 0); };
  setTimeout(tick, 0);
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) log.push([performance.timeOrigin + e.startTime, 'LONG ' + Math.round(e.duration) + 'ms']);
  }).observe({ type: 'longtask', buffered: true });
})();`;

async function timeline(page: Page, t0: number): Promise<string[]> {
  const log = (await page.evaluate(() => (window as unknown as { __timeline: [number, string][] }).__timeline)) ?? [];
  // The first frame's own times, read from the frame rather than from when the page got to it.
  for (const frame of await firstFrames(page)) {
    log.push(
      [frame.received, 'frame received'],
      [frame.decoded, 'frame decoded'],
      [frame.onScreen, 'frame expected on screen'],
      [frame.presented, 'frame callback'],
    );
  }
  return log
    .filter(([at]) => at >= t0 - 50)
    .sort((a, b) => a[0] - b[0])
    .map(([at, what]) => `${(at - t0).toFixed(0).padStart(5)} ${what}`);
}

const peercall = await startChildServer(root, ['server/cli.ts', '--port', '0', '--host', '127.0.0.1', '--join-rate', '100000', '--log-level', 'info']);
const bare = await startChildServer(root, ['bench/bare-server.ts', await buildBenchPages(root)]);
const browser = await launchChromium(BENCH_CHROMIUM_ARGS);
try {
  for (let run = 0; run < RUNS; run++) {
    const room = `tl-${run}-${Math.random().toString(36).slice(2, 8)}`;
    const inject = (p: Page) => p.evaluateOnNewDocument(RECORDER);
    const a = await openPage(browser, `${peercall.url}?room=${room}`, inject);
    const b = await openPage(browser, `${peercall.url}?room=${room}`, inject);
    await Promise.all([lobbyReady(a, 'widget'), lobbyReady(b, 'widget')]);
    await clickJoinAt(a, 'widget');
    await eventually(() => callState(a), (s) => s === 'joined', 'A in', 20_000);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    await Promise.all([recordRemoteFrames(a, 'widget', 1), recordRemoteFrames(b, 'widget', 1)]);
    const t0 = await clickJoinAt(b, 'widget');
    const [fa, fb] = await Promise.all([allRemoteFramesAt(a, 20_000), allRemoteFramesAt(b, 20_000)]);
    await new Promise((r) => setTimeout(r, 300));
    console.log(`\n=== run ${run + 1}: total ${(Math.max(fa, fb) - t0).toFixed(0)} ms (A frame ${(fa - t0).toFixed(0)}, B frame ${(fb - t0).toFixed(0)})`);
    const [la, lb] = [await timeline(a, t0), await timeline(b, t0)];
    console.log('--- B ---\n' + lb.filter((l) => !l.includes('addIceCandidate')).join('\n'));
    console.log('--- A ---\n' + la.filter((l) => !l.includes('addIceCandidate')).join('\n'));
    await Promise.all([a.close(), b.close()]);
    if (process.env.PLAIN !== '1') continue;
    const idA = `a${run}x${Date.now()}`;
    const pa = await browser.newPage({ type: 'window' });
    const pb = await browser.newPage({ type: 'window' });
    await pa.evaluateOnNewDocument(RECORDER);
    await pb.evaluateOnNewDocument(RECORDER);
    const kind = process.env.CORE_PAGE ? 'core' : 'plain';
    if (kind === 'core') {
      // As in the connect benchmark: camera and standby ready before the click.
      const url = `${bare.url}core-mesh.html?server=${encodeURIComponent(peercall.url)}&room=${idA}&lobby=1&governor=${process.env.GOV ?? 1}`;
      await pa.goto(url);
      await pb.goto(url);
    } else {
      await pa.goto(`${bare.url}plain-peerjs.html?id=${idA}`);
      await pb.goto(`${bare.url}plain-peerjs.html?id=b${idA}&call=${idA}`);
    }
    await Promise.all([lobbyReady(pa, kind), lobbyReady(pb, kind)]);
    await clickJoinAt(pa, kind);
    await eventually(() => pa.evaluate(() => document.body.dataset.ready === 'true'), (ok) => ok, `${kind} A`, 20_000);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    await Promise.all([recordRemoteFrames(pa, kind, 1), recordRemoteFrames(pb, kind, 1)]);
    const p0 = await clickJoinAt(pb, kind);
    const [pfa, pfb] = await Promise.all([allRemoteFramesAt(pa, 20_000), allRemoteFramesAt(pb, 20_000)]);
    await new Promise((r) => setTimeout(r, 300));
    console.log(`\n=== ${kind} run ${run + 1}: total ${(Math.max(pfa, pfb) - p0).toFixed(0)} ms (A frame ${(pfa - p0).toFixed(0)}, B frame ${(pfb - p0).toFixed(0)})`);
    console.log('--- B ---\n' + (await timeline(pb, p0)).filter((l) => !l.includes('addIceCandidate')).join('\n'));
    console.log('--- A ---\n' + (await timeline(pa, p0)).filter((l) => !l.includes('addIceCandidate')).join('\n'));
    await Promise.all([pa.close(), pb.close()]);
  }
} finally {
  await browser.close();
  await bare.close();
  await peercall.close();
}
