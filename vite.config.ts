import { defineConfig } from 'vite';

/**
 * Builds the one-file widget the server hands to any page: dist/video-call.js, an ES module with
 * lit and peerjs inside, so a site needs one script tag and nothing else.
 */
export default defineConfig({
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
  },
});
