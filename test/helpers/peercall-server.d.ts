declare module '*/__peercall-server.js' {
  /** Base URL of the peercall server started for this test run, e.g. `http://127.0.0.1:41234/`. */
  const serverUrl: string;
  export default serverUrl;
}
