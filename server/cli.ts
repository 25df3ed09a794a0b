#!/usr/bin/env node
import { createPeercallServer } from './app.js';
import { ConfigError, parseConfig, usage, wantsHelp, type ServerConfig } from './config.js';
import { TOKEN_USAGE, runTokenCommand } from './token-command.js';

const SHUTDOWN_GRACE_MS = 5000;

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

let config: ServerConfig;
try {
  config = parseConfig(argv, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`${error.message}\nRun peercall-server --help for the options.`);
  process.exit(2);
}

const server = createPeercallServer(config);
try {
  const { url } = await server.listen();
  console.log(`peercall listening on ${url} (demo at /, widget at /video-call.js)`);
} catch (error) {
  const message = describeListenError(error as NodeJS.ErrnoException, config);
  if (message === undefined) throw error;
  console.error(message);
  process.exit(2);
}

const shutdown = () => {
  setTimeout(() => {
    console.error('peercall: connections did not close in time; exiting anyway.');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS).unref();
  void server.close().then(() => process.exit(0));
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
