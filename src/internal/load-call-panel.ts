let loading: Promise<unknown> | undefined;

/**
 * Defines `<call-panel>`. It is only needed on pages with a click-to-call button (or a panel of
 * their own), so it is a separate chunk of the widget, fetched the first time this is called.
 */
export function loadCallPanel(): Promise<void> {
  loading ??= import('../components/call-panel/call-panel.js');
  return loading.then(() => undefined);
}
