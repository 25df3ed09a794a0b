import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { chromeLauncher } from '@web/test-runner-chrome';
import { peercallServerPlugin } from './test/helpers/peercall-server-plugin.js';
import { chromiumArgs, chromiumPath } from './test/helpers/chromium.js';

const commonjs = fromRollup(rollupCommonjs);

/** Element and core tests in real Chromium with fake camera/microphone, against a real peercall server. */
export default {
  files: 'test/{core,components}/**/*.test.ts',
  nodeResolve: true,
  concurrency: 1,
  plugins: [
    // The tsconfig is only read when passed; Lit's legacy decorators need it.
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
    // peerjs → webrtc-adapter → sdp is CommonJS.
    commonjs({ include: ['**/node_modules/sdp/**'] }),
    peercallServerPlugin(),
  ],
  browsers: [chromeLauncher({ launchOptions: { executablePath: chromiumPath(), args: chromiumArgs() } })],
  testFramework: { config: { timeout: 15000 } },
  testsFinishTimeout: 180000,
};
