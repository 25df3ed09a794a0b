import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { peercallServerPlugin } from './test/helpers/peercall-server-plugin.js';
import { chromiumArgs, chromiumPath } from './test/helpers/chromium.js';

/** Serves the browser code as the widget build bundles it: with our stand-ins for webrtc-adapter and BinaryPack (vite.config.ts). */
const webrtcAdapterLite = {
  name: 'webrtc-adapter-lite',
  resolveImport({ source }) {
    if (source === 'webrtc-adapter') return '/src/internal/webrtc-adapter-lite.ts';
    if (source === 'peerjs-js-binarypack') return '/src/internal/binarypack-unsupported.ts';
  },
};

/** Element and core tests in real Chromium with fake camera/microphone, against a real peercall server. */
export default {
  files: 'test/{core,components}/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  plugins: [
    webrtcAdapterLite,
    // The tsconfig is only read when passed; Lit's legacy decorators need it.
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    peercallServerPlugin(),
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs() } })],
  testFramework: { config: { timeout: 15000 } },
  testsFinishTimeout: 180000,
};
