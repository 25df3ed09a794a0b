/**
 * The chunks a joined `<video-call>` shows at once, named in one place: the element loads them
 * while joining, and the lobby's warm-up (warm-up.ts) before the click.
 */
export const loadCallStage = () => import('./call-stage.js');
export const loadDeviceMenu = () => import('./device-menu.js');
export const loadParticipantFeatures = () => import('./participant-features.js');
export const loadCallChat = () => import('../call-chat/call-chat.js');
