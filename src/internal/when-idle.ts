/**
 * Runs `task` once the page is idle, or after `timeoutMs` at the latest: for work a visitor does
 * not wait for, kept off the moments when a call is being set up.
 */
export function whenIdle(task: () => void, timeoutMs: number): void {
  if ('requestIdleCallback' in window) requestIdleCallback(task, { timeout: timeoutMs });
  else setTimeout(task, Math.min(timeoutMs, 500));
}
