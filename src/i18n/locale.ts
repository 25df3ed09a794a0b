import { en, type StringOverrides, type Strings } from './strings.js';

/** A string table and the language tag its text is in (for the `lang` of the rendered UI). */
export interface Locale {
  lang: string;
  strings: Strings;
}

const english: Locale = { lang: 'en', strings: en };
let simplifiedChinese: Locale | undefined;
let loadingChinese: Promise<unknown> | undefined;

/**
 * The built-in table for a BCP 47 tag. Every Chinese tag gets Simplified Chinese (the only
 * Chinese table there is, and readable to Traditional readers); everything else gets English.
 * Tables other than English load on first use, so pages that never need them never download
 * them: until the table has arrived this answers English and calls `onLoaded` once it is there.
 */
export function localeFor(tag: string, onLoaded?: () => void): Locale {
  if (!/^zh(-|$)/i.test(tag.trim())) return english;
  if (simplifiedChinese) return simplifiedChinese;
  loadingChinese ??= import('./zh-cn.js').then(({ zhCN }) => {
    simplifiedChinese = { lang: 'zh-CN', strings: zhCN };
  });
  if (onLoaded) void loadingChinese.then(onLoaded);
  return english;
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

// A Chinese page or browser will need the table: fetch it while the page is still loading.
if (/^zh(-|$)/i.test(globalThis.document?.documentElement.lang || browserLanguage())) localeFor('zh');

function parentAcrossShadows(node: Element): Element | null {
  if (node.parentElement) return node.parentElement;
  const root = node.getRootNode();
  return root instanceof ShadowRoot ? root.host : null;
}

function browserLanguage(): string {
  return globalThis.navigator?.languages?.[0] ?? globalThis.navigator?.language ?? 'en';
}
