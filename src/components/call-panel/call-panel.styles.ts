import { css } from 'lit';
import { textReset } from '../../styles/text-reset.styles.js';
import { dark, light } from './call-panel.tokens.js';


export const callPanelStyles = css`
  :host {
    /* The panel floats over the page; its element takes no room where it is placed. */
    display: contents;
  }
  .panel {
    ${light}
    ${textReset}
    position: fixed;
    inset: auto;
    inset-inline-end: var(--call-panel-inset, 16px);
    inset-block-end: var(--call-panel-inset, 16px);
    /* Only matters where the Popover API (top layer) is missing. */
    z-index: 2147483000;
    display: flex;
    flex-direction: column;
    width: min(var(--call-panel-width, 380px), calc(100vw - 2 * var(--call-panel-inset, 16px)));
    height: min(var(--call-panel-height, 560px), calc(100vh - 2 * var(--call-panel-inset, 16px)));
    height: min(var(--call-panel-height, 560px), calc(100dvh - 2 * var(--call-panel-inset, 16px)));
    margin: 0;
    padding: 0;
    overflow: hidden;
    border: 1px solid var(--_border);
    border-radius: var(--call-panel-radius, 16px);
    background: var(--call-panel-background, var(--_background));
    color: var(--call-panel-color, var(--_color));
    box-shadow: var(--call-panel-shadow, 0 8px 28px rgba(0, 0, 0, 0.28));
    font-family: var(--video-call-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  }
  @media (prefers-color-scheme: dark) {
    .panel:not(.panel--light) {
      ${dark}
    }
  }
  .panel--dark {
    ${dark}
  }
  .panel:not(.panel--open) {
    display: none;
  }
  .panel--minimized {
    height: auto;
  }
  /* Phones: the call takes the whole screen; minimized, it is a bar at the bottom. */
  @media (max-width: 600px) {
    .panel {
      --call-panel-inset: 0px;
      border-radius: 0;
    }
    .panel:not(.panel--minimized) {
      inset: 0;
      width: 100%;
      height: 100%;
      border: 0;
    }
  }
  .header {
    display: flex;
    align-items: center;
    gap: 4px;
    padding: 4px 4px 4px 16px;
  }
  .panel:not(.panel--minimized) .header {
    border-bottom: 1px solid var(--_border);
  }
  .title {
    flex: 1;
    margin: 0;
    overflow: hidden;
    font-size: 1em;
    font-weight: 600;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  .header__button {
    display: inline-grid;
    flex: none;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
  }
  .header__button:hover {
    background: var(--_hover);
  }
  .header__button:focus-visible {
    outline: var(--call-panel-focus-ring, var(--_focus-ring));
    outline-offset: -2px;
  }
  .header__button svg {
    width: 24px;
    height: 24px;
    fill: currentColor;
  }
  .body {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-height: 0;
  }
  .call {
    flex: 1;
    min-height: 0;
  }
`;
