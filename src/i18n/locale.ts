import { en, type StringOverrides, type Strings } from './strings.js';
import { zhCN } from './zh-cn.js';

/** A string table and the language tag its text is in (for the `lang` of the rendered UI). */
export interface Locale {
  lang: string;
  strings: Strings;
}

const english: Locale = { lang: 'en', strings: en };
const simplifiedChinese: Locale = { lang: 'zh-CN', strings: zhCN };

/**
 * The built-in table for a BCP 47 tag. Every Chinese tag gets Simplified Chinese (the only
 * Chinese table there is, and readable to Traditional readers); everything else gets English.
 */
export function localeFor(tag: string): Locale {
  return /^zh(-|$)/i.test(tag.trim()) ? simplifiedChinese : english;
}

/**
 * The language an element's text should be in: its own or its closest ancestor's `lang`
 * (looking through shadow roots, so an element inside another one follows the page), else the
 * browser's preferred language. `lang=""` means "unknown", which also falls back to the browser.
 */
export function languageOf(element: Element): string {
  for (let node: Element | null = element; node; node = parentAcrossShadows(node)) {
    const lang = node.getAttribute('lang');
    if (lang !== null) return lang || browserLanguage();
  }
  return browserLanguage();
}

/** A table with a page's overrides laid over it, error messages included. */
export function withOverrides(strings: Strings, overrides: StringOverrides): Strings {
  return { ...strings, ...overrides, errors: { ...strings.errors, ...overrides.errors } };
}

function parentAcrossShadows(node: Element): Element | null {
  if (node.parentElement) return node.parentElement;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

function browserLanguage(): string {
  return globalThis.navigator?.languages?.[0] ?? globalThis.navigator?.language ?? 'en';
}
