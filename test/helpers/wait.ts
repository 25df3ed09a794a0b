/** Polls until `predicate` holds; fails with `what` after `timeoutMs`, so no test waits forever. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Resolves with the first `type` event from `target`, or fails after `timeoutMs`. */
export function nextEvent<E extends Event>(target: EventTarget, type: string, timeoutMs = 8000): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      target.removeEventListener(type, listener);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${type}`));
    }, timeoutMs);
    const listener = (event: Event) => {
      clearTimeout(timer);
      target.removeEventListener(type, listener);
      resolve(event as E);
    };
    target.addEventListener(type, listener);
  });
}

/** A room name no other test uses. */
export function uniqueRoom(prefix = 'room'): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Resolves once `video` has decoded at least one frame. */
export async function waitForDecodedFrame(video: HTMLVideoElement, what: string): Promise<void> {
  await waitFor(() => video.readyState >= 2 && video.videoWidth > 0, what);
}
