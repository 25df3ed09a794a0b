/**
 * `npm run bench`: every figure from one run on this machine, so ratios hold however noisy it is.
 * Prints tables and writes bench/results/bench.json. Every loop is bounded in count and time.
 * RUNS (default 10) sets the connect runs; MESH_RUNS (default 3) the mesh runs; PARTS (default
 * connect,mesh,load) picks which of them run, e.g. PARTS=connect while working on connect time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../test/e2e/harness.js';
import { floorSizes, widgetSizes } from './bundle.js';
import { BENCH_CHROMIUM_ARGS } from './frames.js';
import { benchConnect } from './connect.js';
import { benchMeshJoin, benchMeshLoad } from './mesh.js';
import { buildBenchPages, startChildServer } from './servers.js';

const root = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 10);
const MESH_RUNS = Number(process.env.MESH_RUNS ?? 3);
const PARTS = new Set((process.env.PARTS ?? 'connect,mesh,load').split(','));

const pagesDir = await buildBenchPages(root);
// Both servers in processes of their own, as in a real deployment. All pages come from 127.0.0.1,
// so peercall's per-address join limit is raised; everything else is its default configuration.
const peercall = await startChildServer(root, [
  'server/cli.ts',
  ...['--port', '0', '--host', '127.0.0.1', '--join-rate', '100000', '--log-level', 'info'],
]);
const bare = await startChildServer(root, ['bench/bare-server.ts', pagesDir]);
const browser = await launchChromium(BENCH_CHROMIUM_ARGS);
let results;
try {
  const bundle = { widget: widgetSizes(root), floor: await floorSizes(root) };
  const connect = PARTS.has('connect') ? await benchConnect(browser, peercall.url, bare.url, RUNS) : undefined;
  const meshJoin = PARTS.has('mesh') ? await benchMeshJoin(browser, peercall.url, [3, 4], MESH_RUNS) : {};
  const meshLoad = PARTS.has('load') ? await benchMeshLoad(browser, peercall.url, bare.url, [2, 3, 4]) : [];
  results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, chromium: await browser.version() },
    connect,
    meshJoin,
    meshLoad,
    bundle: { ...bundle, gzipRatio: +(bundle.widget.gzip / bundle.floor.gzip).toFixed(3) },
  };
} finally {
  await browser.close();
  await bare.close();
  await peercall.close();
}

const { connect, meshJoin, meshLoad, bundle } = results;
if (connect) {
  console.log('\n## Connect: Join click → first remote frame on both pages, 2 peers (ms, median (min–max))');
  console.log('| first frame | peercall <video-call> | peercall core, no UI | plain PeerJS | n | ratio <video-call> / plain | ratio core / plain |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const labels = { decoded: 'decoded', onScreen: 'on screen', presented: 'presented to the page' } as const;
  const cell = ({ median, min, max }: { median: number; min: number; max: number }) => `${median} (${min}–${max})`;
  for (const [measure, label] of Object.entries(labels) as [keyof typeof labels, string][]) {
    const { peercall, core, plain, ratio, coreRatio } = connect[measure];
    console.log(`| ${label} | ${cell(peercall)} | ${cell(core)} | ${cell(plain)} | ${peercall.n} | ${ratio} | ${coreRatio} |`);
  }
}
if (PARTS.has('mesh')) {
  console.log('\n## Mesh: first Join click → every page presents every other page (ms)');
  console.log('| peers | median | min | max | n |\n| --- | --- | --- | --- | --- |');
  for (const [peers, s] of Object.entries(meshJoin)) console.log(`| ${peers} | ${s.median} | ${s.min} | ${s.max} | ${s.n} |`);
}
if (PARTS.has('load')) {
  console.log('\n## Mesh load (8 s window once connected)');
  console.log('| peers | governor | renderer CPU per page (% of one core) | received fps per remote video |\n| --- | --- | --- | --- |');
  for (const row of meshLoad) console.log(`| ${row.peers} | ${row.governor ? 'on' : 'off'} | ${row.cpuPercentPerPage} | ${row.receivedFps} |`);
}
console.log('\n## Bundle (bytes)');
console.log('| file | raw | gzip | brotli |\n| --- | --- | --- | --- |');
console.log(`| video-call.js | ${bundle.widget.raw} | ${bundle.widget.gzip} | ${bundle.widget.brotli} |`);
console.log(`| floor: lit + peerjs | ${bundle.floor.raw} | ${bundle.floor.gzip} | ${bundle.floor.brotli} |`);
console.log(`gzip ratio widget / floor: ${bundle.gzipRatio}`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/bench.json', import.meta.url), JSON.stringify(results, null, 2));
