export * from './call-error.js';
export * from './call-joined.js';
export * from './call-left.js';
export * from './call-media-change.js';
export * from './call-participant-joined.js';
export * from './call-participant-left.js';
export * from './call-request.js';
export * from './call-state-change.js';
