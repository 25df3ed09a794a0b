import type { CSSResult } from 'lit';

/**
 * Adds a lazily loaded chunk's styles to an element's shadow root, next to the styles already
 * there (Lit's `adoptStyles` replaces the whole list, which would drop another chunk's sheet).
 */
export function addStyles(root: ShadowRoot, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  if (sheet) {
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  // Where sheets cannot be constructed, a <style> element does the same job.
  const style = document.createElement('style');
  style.textContent = styles.cssText;
  root.append(style);
}
