import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { languageOf, localeFor, withOverrides, type Locale } from '../i18n/locale.js';
import type { StringOverrides } from '../i18n/strings.js';

/** What the controller needs from its element: the page's text overrides. */
export interface LocaleHost extends ReactiveControllerHost, HTMLElement {
  strings: StringOverrides;
}

/**
 * Gives an element the strings for its language, re-rendering when its own `lang` or the
 * page's `<html lang>` changes (the two a site actually switches; other ancestors are read at
 * every render but not watched).
 */
export class LocaleController implements ReactiveController {
  private readonly host: LocaleHost;
  private readonly observer = new MutationObserver(() => this.host.requestUpdate());
  private current: Locale = localeFor('en');

  constructor(host: LocaleHost) {
    (this.host = host).addController(this);
  }

  /** The table in use, with the host's overrides applied. */
  get strings(): Locale['strings'] {
    return this.current.strings;
  }

  /** The language of that table, for the `lang` of the rendered text. */
  get lang(): string {
    return this.current.lang;
  }

  hostConnected(): void {
    this.observer.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this.observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
    this.resolve();
  }

  hostDisconnected(): void {
    this.observer.disconnect();
  }

  hostUpdate(): void {
    this.resolve();
  }

  private resolve(): void {
    const { lang, strings } = localeFor(languageOf(this.host), () => this.host.requestUpdate());
    this.current = { lang, strings: withOverrides(strings, this.host.strings) };
  }
}
