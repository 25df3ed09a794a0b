/** A map from event names to event types. */
export type EventMapOf<M> = { [K in keyof M]: Event };

/**
 * An EventTarget whose addEventListener/removeEventListener know the event type of each name,
 * so core classes get typed events without a dependency on a framework or an emitter library.
 */
export interface TypedEventTarget<EventMap extends EventMapOf<EventMap>> {
  addEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: (event: EventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof EventMap & string>(
    type: K,
    listener: (event: EventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions,
  ): void;
}

// The interface above merges into this class and narrows its listener signatures.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class TypedEventTarget<EventMap extends EventMapOf<EventMap>> extends EventTarget {
  /** Dispatches a CustomEvent whose name and detail are checked against the event map. */
  protected emit<K extends keyof EventMap & string>(
    type: K,
    detail: EventMap[K] extends CustomEvent<infer D> ? D : never,
  ): void {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
