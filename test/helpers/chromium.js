/** How every test launches Debian's Chromium: headless, fake media, WebRTC kept on loopback. */
export function chromiumPath() {
  return process.env.CHROME_PATH ?? '/usr/bin/chromium';
}

export function chromiumArgs(extra = []) {
  return [
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
    ...extra,
  ];
}
