/**
 * Runs inside a cross-origin <iframe> in the browser tests: puts a <video-call> for the room and
 * server in its query string in the page, and reports to the embedding page what the call did.
 */
import '../../src/index.js';

const params = new URLSearchParams(location.search);
const call = document.createElement('video-call');
call.room = params.get('room') ?? '';
call.server = params.get('server') ?? '';
call.autojoin = true;
document.body.append(call);

function report(event: string, type?: string): void {
  void call.updateComplete.then(() => {
    parent.postMessage({ event, type, text: call.shadowRoot?.textContent ?? '' }, '*');
  });
}

call.addEventListener('call-joined', () => {
  report('joined');
  void call.leave();
});
call.addEventListener('call-error', (event) => report('error', event.detail.type));
