/** For running peercall inside your own Node app; the CLI is `peercall-server`. */
export { createPeercallServer, type PeercallServer, type ServerOptions, type StaticPaths } from './app.js';
export { ConfigError, parseConfig, usage, type ServerConfig } from './config.js';
export { RoomRegistry } from './rooms.js';
export { createJoinToken, type JoinTokenOptions } from './join-tokens.js';
export { createLogger, type Logger, type LogLevel } from './log.js';
