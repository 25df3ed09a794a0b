import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { floorSizes, widgetSizes } from '../../bench/bundle.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The widget may add at most 15 % (gzip) to what lit and peerjs alone weigh; optional parts load lazily. */
const BUDGET = 1.15;

test(`video-call.js stays within ${BUDGET}× the lit+peerjs floor (gzip)`, async () => {
  const floor = await floorSizes(root);
  const widget = widgetSizes(root);
  const ratio = widget.gzip / floor.gzip;
  console.log(`widget ${widget.gzip} B gzip (${widget.files.join(' + ')}), floor ${floor.gzip} B gzip, ratio ${ratio.toFixed(3)}`);
  assert.ok(ratio <= BUDGET, `video-call.js is ${ratio.toFixed(3)}× the floor (${widget.gzip} vs ${floor.gzip} B gzip)`);
});
