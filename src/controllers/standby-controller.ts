import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StandbyKeeper, StandbyOffer } from '../core/standby.js';

/**
 * Keeps a standby signaling socket open while its element shows the pre-join view, so that Join
 * needs one message rather than an HTTP request and a socket (see `Standby`). Its code is a chunk
 * of its own, fetched when a lobby first shows.
 */
export class StandbyController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private keeper: Promise<StandbyKeeper> | undefined;
  private ready: StandbyKeeper | undefined;
  private server: string | null = null;
  private stream: MediaStream | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement) {
    (this.host = host).addController(this);
  }

  hostDisconnected(): void {
    // A moved element keeps its standby, a removed one lets it go.
    queueMicrotask(() => {
      if (!this.host.isConnected) this.sync(null);
    });
  }

  /**
   * Opens a standby on `server` (the lobby is up) or closes it (`null`: it is not), and prepares
   * the first call's offer with `stream`, the lobby's live preview (see `StandbyKeeper.sync`).
   */
  sync(server: string | null, stream: MediaStream | null = null): void {
    if (server === this.server && stream === this.stream) return;
    this.server = server;
    this.stream = stream;
    // Chained on one promise, so that the calls reach the keeper in order.
    this.keeper ??= import('../core/standby.js').then(({ StandbyKeeper }) => (this.ready = new StandbyKeeper()));
    void this.keeper.then((keeper) => keeper.sync(server, stream), () => {});
  }

  /** Hands the standby for `server` to a join, which then owns it (see `StandbyKeeper.take`). */
  take(server: string): StandbyOffer {
    // At hand when the chunk is there, so that the join's message goes out at once.
    const taken = this.ready ? this.ready.take(server) : (this.keeper?.then((keeper) => keeper.take(server)) ?? null);
    // Chained after the take: the lobby is gone, so nothing opens another.
    this.sync(null);
    return taken;
  }
}
