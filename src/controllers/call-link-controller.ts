import { ContextEvent } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { callContext, type CallHandle } from '../context/call-context.js';

export interface CallLinkHost extends ReactiveControllerHost, HTMLElement {
  /** Id of the `<video-call>` to link to; empty for the one the host sits in. */
  htmlFor: string;
}

/**
 * Links a control to its `<video-call>`: the one it is nested in, or the one named by its `for`
 * attribute (like `<label for>`), and keeps it informed of that call's state. Both ways use the
 * call's context, so the call needs no idea which controls exist.
 */
export class CallLinkController implements ReactiveController {
  private readonly host: CallLinkHost;
  private current: CallHandle | undefined;
  private linkedTo: Element | null = null;
  private unsubscribe: (() => void) | undefined;
  /** Watches the document for a `for` target that is not there yet. */
  private targetWatcher: MutationObserver | null = null;
  /** Bumped on every (re)link, so late answers for an old link are ignored. */
  private generation = 0;

  constructor(host: CallLinkHost) {
    (this.host = host).addController(this);
  }

  /** The linked call's state and actions, or `undefined` when there is no call to control. */
  get handle(): CallHandle | undefined {
    return this.current;
  }

  /** Where requests are announced: the `for` target, or the host itself (they bubble to the call). */
  get requestTarget(): Element {
    return this.host.htmlFor ? (this.linkedTo ?? this.host) : this.host;
  }

  hostConnected(): void {
    this.link();
  }

  hostDisconnected(): void {
    this.unlink();
  }

  /** Links again, after `for` changed. */
  relink(): void {
    this.unlink();
    if (this.host.isConnected) this.link();
  }

  private link(): void {
    const generation = ++this.generation;
    const id = this.host.htmlFor;
    if (!id) return this.subscribe(this.host, generation);
    const root = this.host.getRootNode() as Document | ShadowRoot;
    const target = root.getElementById(id);
    if (target) return this.subscribe(target, generation);
    // The target may be added later by the page's own script.
    this.targetWatcher = new MutationObserver(() => {
      const added = root.getElementById(id);
      if (!added) return;
      this.targetWatcher?.disconnect();
      this.targetWatcher = null;
      this.subscribe(added, generation);
    });
    this.targetWatcher.observe(root, { childList: true, subtree: true });
  }

  private subscribe(on: Element, generation: number): void {
    this.linkedTo = on;
    let answered = false;
    const callback = (handle: CallHandle | undefined, unsubscribe?: () => void) => {
      if (generation !== this.generation) return unsubscribe?.();
      answered = true;
      if (unsubscribe !== this.unsubscribe) {
        this.unsubscribe?.();
        this.unsubscribe = unsubscribe;
      }
      this.current = handle;
      this.host.requestUpdate();
    };
    on.dispatchEvent(new ContextEvent(callContext, this.host, callback, true));
    // Buttons are defined before <video-call>, so on a page that loads the script after its markup
    // a button can ask before its call is upgraded; ask once more when it is.
    if (!answered && !customElements.get('video-call')) {
      void customElements.whenDefined('video-call').then(() => {
        if (generation === this.generation && !answered) {
          on.dispatchEvent(new ContextEvent(callContext, this.host, callback, true));
        }
      });
    }
  }

  private unlink(): void {
    this.generation++;
    this.targetWatcher?.disconnect();
    this.targetWatcher = null;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.linkedTo = null;
    if (this.current === undefined) return;
    this.current = undefined;
    this.host.requestUpdate();
  }
}
