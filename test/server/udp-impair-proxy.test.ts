import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { startUdpImpairProxy, type UdpImpairProxy } from '../helpers/udp-impair-proxy.js';
import { delay, withTimeout } from './helpers.js';

/** A UDP echo server that answers each packet with `<its source port>:<the packet>`. */
async function startEcho() {
  const socket = dgram.createSocket('udp4');
  const sources = new Set<number>();
  socket.on('message', (packet, remote) => {
    sources.add(remote.port);
    socket.send(Buffer.concat([Buffer.from(`${remote.port}:`), packet]), remote.port, remote.address);
  });
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return { port: socket.address().port, sources, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** A client socket that collects replies. */
async function client() {
  const socket = dgram.createSocket('udp4');
  const replies: string[] = [];
  socket.on('message', (packet) => replies.push(String(packet)));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return {
    replies,
    send: (port: number, text: string) => socket.send(text, port, '127.0.0.1'),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

async function until(predicate: () => boolean, what: string, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await delay(10);
  }
}

describe('UDP impairment proxy (real sockets)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let proxy: UdpImpairProxy;
  before(async () => {
    echo = await startEcho();
    proxy = await startUdpImpairProxy({ target: { host: '127.0.0.1', port: echo.port } });
  });
  after(async () => {
    await proxy.close();
    await echo.close();
  });

  test('relays both ways, with one upstream address per client', async () => {
    const ann = await client();
    const bob = await client();
    ann.send(proxy.port, 'hello from ann');
    bob.send(proxy.port, 'hello from bob');
    await until(() => ann.replies.length === 1 && bob.replies.length === 1, 'both replies');
    const [annUpstream] = ann.replies[0]!.split(':');
    const [bobUpstream] = bob.replies[0]!.split(':');
    assert.match(ann.replies[0]!, /:hello from ann$/);
    assert.match(bob.replies[0]!, /:hello from bob$/);
    assert.notEqual(annUpstream, bobUpstream);
    // A client keeps its upstream address: the TURN server sees one stable 5-tuple per client.
    ann.send(proxy.port, 'again');
    await until(() => ann.replies.length === 2, 'the second reply');
    assert.equal(ann.replies[1]!.split(':')[0], annUpstream);
    assert.equal(proxy.stats().sessions, 2);
    await Promise.all([ann.close(), bob.close()]);
  });

  test('drops about the fraction asked for, in both directions', async () => {
    for (const loss of [0.05, 0.2]) {
      proxy.setLoss(loss);
      const before = proxy.stats();
      const sender = await client();
      const packets = 2000;
      for (let i = 0; i < packets; i += 1) {
        sender.send(proxy.port, `p${i}`);
        // Paced, so that a busy machine's socket buffers do not drop packets the proxy forwarded.
        if (i % 20 === 19) await delay(2);
      }
      await delay(300);
      const stats = proxy.stats();
      const attempts = stats.forwarded + stats.dropped - (before.forwarded + before.dropped);
      const droppedShare = (stats.dropped - before.dropped) / attempts;
      // Each round trip passes the proxy twice: replies arrive with (1 - loss)² probability.
      const expectedReplies = packets * (1 - loss) ** 2;
      assert.ok(Math.abs(droppedShare - loss) < loss * 0.25 + 0.01, `loss ${loss}: dropped ${droppedShare}`);
      assert.ok(Math.abs(sender.replies.length - expectedReplies) < packets * 0.05, `loss ${loss}: ${sender.replies.length} replies, expected ~${expectedReplies}`);
      await sender.close();
    }
    proxy.restore();
  });

  test('a blackhole drops everything, and traffic flows again once it ends', async () => {
    const sender = await client();
    sender.send(proxy.port, 'before');
    await until(() => sender.replies.length === 1, 'the reply before');
    const hole = proxy.blackholeFor(400);
    for (let i = 0; i < 20; i += 1) {
      sender.send(proxy.port, `during-${i}`);
      await delay(10);
    }
    await delay(100);
    assert.equal(sender.replies.length, 1, 'nothing came through the blackhole');
    await withTimeout(hole, 1000, 'the blackhole to end');
    sender.send(proxy.port, 'after');
    await until(() => sender.replies.some((r) => r.endsWith(':after')), 'the reply after');
    proxy.setBlackhole(true);
    sender.send(proxy.port, 'held');
    await delay(100);
    assert.ok(!sender.replies.some((r) => r.endsWith(':held')));
    proxy.setBlackhole(false);
    sender.send(proxy.port, 'free');
    await until(() => sender.replies.some((r) => r.endsWith(':free')), 'the reply once restored');
    await sender.close();
  });

  test('bounds its sessions, forgets idle ones, and close() frees its port', async () => {
    const small = await startUdpImpairProxy({ target: { host: '127.0.0.1', port: echo.port }, maxSessions: 1, sessionIdleMs: 200 });
    const ann = await client();
    const bob = await client();
    ann.send(small.port, 'a');
    await until(() => ann.replies.length === 1, 'ann’s reply');
    bob.send(small.port, 'b');
    await delay(100);
    assert.equal(bob.replies.length, 0);
    assert.equal(small.stats().refused, 1);
    await until(() => small.stats().sessions === 0, 'the idle session to be forgotten', 11_000);
    bob.send(small.port, 'b2');
    await until(() => bob.replies.length === 1, 'bob’s reply once a place was free');
    const port = small.port;
    await small.close();
    await small.close();
    const rebind = dgram.createSocket('udp4');
    rebind.bind(port, '127.0.0.1');
    await once(rebind, 'listening');
    rebind.close();
    await Promise.all([ann.close(), bob.close()]);
  });

  test('refuses a loss outside 0–1', () => {
    assert.throws(() => proxy.setLoss(1.5), RangeError);
    assert.throws(() => proxy.setLoss(-0.1), RangeError);
  });
});
