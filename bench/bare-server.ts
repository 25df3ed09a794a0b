/**
 * `node --import tsx bench/bare-server.ts <pagesDir>`: a bare PeerServer with its defaults at
 * /peerjs plus the built bench pages, in a process of its own. Prints its URL on the first line.
 */
import { startBarePeerServer } from './servers.js';

const server = await startBarePeerServer(process.argv[2] ?? '.');
console.log(server.url);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
