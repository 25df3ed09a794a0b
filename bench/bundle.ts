/**
 * Bundle size of the widget against its floor: lit plus peerjs alone, bundled and minified by the
 * same Vite build, so the ratio shows what peercall's own code adds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { build } from 'vite';

export interface Sizes {
  raw: number;
  gzip: number;
  brotli: number;
}

export function sizesOf(code: Buffer | string): Sizes {
  const bytes = Buffer.from(code);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, brotli: brotliCompressSync(bytes).length };
}

/** Builds `export * from 'lit'; export * from 'peerjs'` the way vite.config.ts builds the widget. */
export async function floorSizes(root: string): Promise<Sizes> {
  // Inside the project, so that 'lit' and 'peerjs' resolve from its node_modules.
  const cache = join(root, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'peercall-floor-'));
  try {
    const entry = join(dir, 'floor.js');
    writeFileSync(entry, "export * from 'lit';\nexport * from 'peerjs';\n");
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      build: {
        lib: { entry, formats: ['es'], fileName: () => 'floor.js' },
        outDir: join(dir, 'out'),
        minify: true,
        target: 'es2022',
        write: true,
        // Minified exactly as vite.config.ts minifies the widget.
        rolldownOptions: { output: { minify: { codegen: true }, comments: { annotation: false } } },
      },
    });
    return sizesOf(readFileSync(join(dir, 'out', 'floor.js')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A static `import … from './video-call-….js'` (or a bare `import './…'`), not a dynamic `import(…)`. */
const STATIC_IMPORT = /(?:^|[^\w$.])import\s*(?:[\w$*{}\s,]+?from\s*)?["'`](\.\/video-call-[\w-]+\.js)["'`]/g;

/**
 * What every page with the script tag downloads: video-call.js plus any chunk it imports
 * statically (were the bundler to move shared code into one, the page would fetch it up front).
 * Each file is compressed on its own, as a server sends it.
 */
export function widgetSizes(root: string): Sizes & { files: string[] } {
  const files: string[] = [];
  const total: Sizes = { raw: 0, gzip: 0, brotli: 0 };
  const pending = ['video-call.js'];
  while (pending.length) {
    const file = pending.pop()!;
    if (files.includes(file)) continue;
    files.push(file);
    const code = readFileSync(join(root, 'dist', file), 'utf8');
    const sizes = sizesOf(code);
    total.raw += sizes.raw;
    total.gzip += sizes.gzip;
    total.brotli += sizes.brotli;
    for (const match of code.matchAll(STATIC_IMPORT)) pending.push(match[1]!.slice(2));
  }
  return { ...total, files };
}
