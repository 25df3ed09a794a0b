import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PresenceWatcher } from '../core/presence.js';
import { CallPresenceChangeEvent } from '../events/call-presence-change.js';

export interface PresenceHost extends ReactiveControllerHost, HTMLElement {}

/**
 * Keeps a live count of the people in one room while the host is on the page: the stream
 * closes when the element leaves the page and reopens when it comes back.
 */
export class PresenceController implements ReactiveController {
  private readonly host: PresenceHost;
  private wanted: { server: string; room: string } | null = null;
  private watcher: PresenceWatcher | null = null;
  /** Identifies the start under way, so a stop() while the client loads cancels it. */
  private starting: object | null = null;
  private latest: number | null = null;

  constructor(host: PresenceHost) {
    (this.host = host).addController(this);
  }

  /** People in the followed room, or `null` when unknown or not following. */
  get count(): number | null {
    return this.latest;
  }

  /** Follows `room` on `server`; `null` stops following. Does nothing if that is already the case. */
  follow(target: { server: string; room: string } | null): void {
    if (target?.server === this.wanted?.server && target?.room === this.wanted?.room) return;
    this.wanted = target;
    this.stop();
    if (this.host.isConnected) this.start();
  }

  hostConnected(): void {
    this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  private start(): void {
    const wanted = this.wanted;
    if (!wanted || this.starting) return;
    const starting = {};
    this.starting = starting;
    // The presence client loads on first use: pages that show no count never download it.
    void import('../core/presence.js').then(({ PresenceWatcher }) => {
      if (this.starting !== starting) return;
      const watcher = new PresenceWatcher(wanted.server, wanted.room, (count) => {
        if (this.watcher !== watcher || count === this.latest) return;
        this.latest = count;
        this.host.requestUpdate();
        this.host.dispatchEvent(new CallPresenceChangeEvent({ room: wanted.room, count }));
      });
      this.watcher = watcher;
    });
  }

  private stop(): void {
    this.starting = null;
    this.watcher?.close();
    this.watcher = null;
    if (this.latest === null) return;
    this.latest = null;
    this.host.requestUpdate();
  }
}
