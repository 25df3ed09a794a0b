import { createHook } from 'node:async_hooks';

/**
 * Runs `start` and returns a function that clears every timer chain it began.
 *
 * peer@1.0.2 starts two self-rescheduling setTimeout loops (the dead-socket sweeper and the
 * message expiry) when it is mounted and has no way to stop them, so a closed server would keep
 * Node's event loop alive forever: an embedding app could not exit, nor could a test run. We
 * follow those chains instead: a timer created while `start` runs, or from inside the callback
 * of a timer we follow, is followed too.
 */
export function trackTimers(start: () => void): () => void {
  const followed = new Map<number, NodeJS.Timeout>();
  let starting = true;
  const hook = createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      if (type === 'Timeout' && (starting || followed.has(triggerAsyncId))) {
        followed.set(asyncId, resource as NodeJS.Timeout);
      }
    },
    destroy(asyncId) {
      followed.delete(asyncId);
    },
  }).enable();
  try {
    start();
  } finally {
    starting = false;
  }
  return () => {
    hook.disable();
    for (const timer of followed.values()) clearTimeout(timer);
    followed.clear();
  };
}
