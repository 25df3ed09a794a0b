/** How every test launches Debian's Chromium: headless, fake media, WebRTC kept on loopback. */
export function chromiumPath() {
  return process.env.CHROME_PATH ?? '/usr/bin/chromium';
}

/** The flags below, with `extra` added; a switch in `extra` replaces the default of the same name. */
export function chromiumArgs(extra = []) {
  const replaced = new Set(extra.map((arg) => arg.split('=')[0]));
  const defaults = [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--autoplay-policy=no-user-gesture-required',
  ];
  return [...defaults.filter((arg) => !replaced.has(arg.split('=')[0])), ...extra];
}
