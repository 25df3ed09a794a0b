// The demo page: a room picker that keeps the room in the URL (?room=…) so the link can be shared,
// and a log of the events <video-call> fires, as a host page would listen to them.
const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const params = new URLSearchParams(location.search);
const call = document.getElementById('call');
const input = document.getElementById('room-input');

function randomRoom() {
  return `room-${Math.random().toString(36).slice(2, 8)}`;
}

const requested = params.get('room');
if (requested && ROOM_PATTERN.test(requested)) {
  input.value = requested;
  call.room = requested;
  const link = document.getElementById('share-link');
  link.href = location.href;
  link.textContent = location.href;
  document.getElementById('share').hidden = false;
  document.getElementById('copy-link').addEventListener('click', async (event) => {
    await navigator.clipboard.writeText(location.href);
    event.target.textContent = 'Copied';
  });
} else {
  // No room (or an invalid one) in the URL: suggest a fresh one; the element explains what is missing.
  input.value = randomRoom();
  if (requested) input.setCustomValidity('Use 1–64 letters, digits, _ or -');
  input.addEventListener('input', () => input.setCustomValidity(''));
}

const log = document.getElementById('event-log');
// Made once, at load: the first toLocaleTimeString() loads the locale's data (20–30 ms in Chromium),
// which the first event (the Join click's state change) would otherwise wait for.
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
for (const type of [
  'call-state-change',
  'call-joined',
  'call-left',
  'call-participant-joined',
  'call-participant-left',
  'call-media-change',
  'call-error',
  'call-knock',
  'call-muted-by-host',
]) {
  call.addEventListener(type, (event) => {
    const entry = document.createElement('li');
    const { cause, ...detail } = event.detail;
    entry.textContent = `${clock.format(new Date())} ${type} ${JSON.stringify(detail)}`;
    log.prepend(entry);
  });
}
