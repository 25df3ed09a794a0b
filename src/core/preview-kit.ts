/**
 * What a pre-join preview needs beyond the call itself: capture with fallbacks, device lists
 * and the microphone level. One module, so the widget fetches it as one small chunk when a
 * preview starts, instead of carrying it in the script tag's first download.
 */
export * from './audio-level.js';
export * from './devices.js';
