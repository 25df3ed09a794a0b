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

export function widgetSizes(root: string): Sizes {
  return sizesOf(readFileSync(join(root, 'dist', 'video-call.js')));
}
