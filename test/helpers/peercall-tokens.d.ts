declare module '*/__peercall-tokens.js' {
  /**
   * A real join token for the browser tests' server, signed on the Node side with its secret
   * (see peercall-server-plugin.js). Rooms `tok-*` need one; `wait-*` also have a waiting room.
   * Give each participant its own `jti` (or name): a host's removal blocks every holder of a token.
   */
  export function joinToken(options: {
    room: string;
    role?: 'host' | 'guest';
    name?: string;
    jti?: string;
    ttlSeconds?: number;
  }): Promise<string>;
}
