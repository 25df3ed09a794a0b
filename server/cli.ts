#!/usr/bin/env node
import { createPeercallServer, type PeercallServer } from './app.js';
import { ConfigError, parseConfig, usage, wantsHelp, type ServerConfig } from './config.js';
import { createLogger, errorField } from './log.js';
import { TOKEN_USAGE, runTokenCommand } from './token-command.js';

/** A graceful shutdown that takes longer than this ends the process anyway. */
const SHUTDOWN_LIMIT_MS = 5000;
/** Of that, how long sockets get to close after their ReconnectMessage. */
const SOCKET_CLOSE_GRACE_MS = 2000;

const argv = process.argv.slice(2);
if (argv[0] === 'token') {
  const tokenArgs = argv.slice(1);
  if (wantsHelp(tokenArgs)) {
    process.stdout.write(TOKEN_USAGE);
    process.exit(0);
  }
  try {
    process.stdout.write(`${await runTokenCommand(tokenArgs, process.env)}\n`);
    process.exit(0);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${error.message}\nRun peercall-server token --help for the options.`);
    process.exit(2);
  }
}
if (wantsHelp(argv)) {
  process.stdout.write(usage());
  process.exit(0);
}

// Mistakes in the command line are for the person who typed it: plain text on stderr, exit 2.
let config: ServerConfig;
let server: PeercallServer;
try {
  config = parseConfig(argv, process.env);
  server = createPeercallServer(config, { logger: createLogger({ level: config.logLevel }) });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\nRun peercall-server --help for the options.`);
  process.exit(2);
}
const { logger } = server;

// Whatever slips through the handlers' own error handling is logged; a rejected promise nobody
// awaited leaves the server's state intact, so it keeps serving. An exception that unwound the
// stack may not have: log it and exit, for the supervisor to restart us (browsers resume).
process.on('unhandledRejection', (reason) => logger.error('unhandled promise rejection', errorField(reason)));
process.on('uncaughtException', (error) => {
  logger.fatal('uncaught exception; exiting', errorField(error));
  process.exit(1);
});

try {
  const { url } = await server.listen();
  logger.info(`peercall listening on ${url} (demo at /, widget at /video-call.js)`, {
    url,
    resumeSecretSource: server.secretSource,
    aliveTimeoutSeconds: config.aliveTimeoutMs / 1000,
    maxParticipants: config.maxParticipants,
    turn: config.turnUrls.length > 0,
    allowedOrigins: config.allowedOrigins === '*' ? '*' : [...config.allowedOrigins],
  });
  if (server.secretSource === 'ephemeral') {
    logger.warn('no --secret and no state dir: resume tickets will not survive a restart of this server; set --state-dir or --secret');
  }
} catch (error) {
  const message = describeListenError(error as NodeJS.ErrnoException, config);
  if (message === undefined) throw error;
  console.error(message);
  process.exit(2);
}

const shutdown = (signal: NodeJS.Signals) => {
  const startedAt = Date.now();
  logger.info('shutting down: telling browsers to reconnect', { signal, sockets: server.socketCount });
  setTimeout(() => {
    logger.error('shutdown did not finish in time; exiting anyway', { limitMs: SHUTDOWN_LIMIT_MS });
    process.exit(1);
  }, SHUTDOWN_LIMIT_MS).unref();
  void server.shutdown(SOCKET_CLOSE_GRACE_MS).then(() => {
    logger.info('shut down', { ms: Date.now() - startedAt });
    process.exit(0);
  });
};
// `once`: a second Ctrl-C falls through to Node's default and ends the process at once.
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

function describeListenError(error: NodeJS.ErrnoException, { host, port }: ServerConfig): string | undefined {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${port} on ${host} is already in use. Stop the other server or pick another port with --port.`;
    case 'EACCES':
      return `No permission to listen on port ${port} on ${host}. Ports below 1024 need privileges; try --port 9000.`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot listen on host "${host}": it is not an address of this machine. Try --host 127.0.0.1 or --host 0.0.0.0.`;
    default:
      return undefined;
  }
}
