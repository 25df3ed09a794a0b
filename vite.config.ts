import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minifyTemplateLiterals } from 'rollup-plugin-minify-template-literals';
import { defineConfig, type Plugin } from 'vite';

/**
 * Builds the one-file widget the server hands to any page: dist/video-call.js, an ES module with
 * lit and peerjs inside, so a site needs one script tag and nothing else.
 */
/** dist/ also holds the compiled server, so only the previous build's widget files are removed (chunk names change with their hash). */
const removeOldWidget: Plugin = {
  name: 'remove-old-widget',
  apply: 'build',
  buildStart() {
    const dist = fileURLToPath(new URL('./dist/', import.meta.url));
    if (!existsSync(dist)) return;
    for (const file of readdirSync(dist)) if (/^video-call.*\.js(\.map)?$/.test(file)) rmSync(dist + file);
  },
};

export default defineConfig({
  // Lit's html`` and css`` templates keep their indentation otherwise: a tenth of the bundle.
  plugins: [removeOldWidget, minifyTemplateLiterals()],
  resolve: {
    alias: {
      // PeerJS needs only webrtc-adapter's browser detection; the shims are for browsers we do not support.
      'webrtc-adapter': fileURLToPath(new URL('./src/internal/webrtc-adapter-lite.ts', import.meta.url)),
      // Our data connections use raw serialization, so PeerJS's binary packer is never used.
      'peerjs-js-binarypack': fileURLToPath(new URL('./src/internal/binarypack-unsupported.ts', import.meta.url)),
    },
  },
  build: {
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'video-call.js',
    },
    outDir: 'dist',
    // dist/ also holds the compiled server (dist/node); keep it.
    emptyOutDir: false,
    minify: true,
    sourcemap: true,
    target: 'es2022',
    rolldownOptions: {
      // Lets the entry export what its chunks need, so they import from video-call.js itself
      // instead of the bundler moving shared code into a chunk every page would have to fetch.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // Vite keeps whitespace and pure-annotations in ES libraries for the bundlers that consume
        // them; this file goes straight to browsers, so minify it completely.
        minify: { codegen: true },
        comments: { annotation: false },
        // Optional parts (the click-to-call panel, languages other than English, the presence
        // client) are chunks the widget imports on first use, next to video-call.js on the server.
        chunkFileNames: 'video-call-[name]-[hash].js',
      },
    },
  },
});
