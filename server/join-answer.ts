import { PEER_PATH, type JoinResponse, type RTCIceServerLike } from '../src/core/protocol.js';
import type { ServerConfig } from './config.js';
import type { ApiContext } from './api-context.js';
import type { Member } from './rooms.js';
import { turnCredentials } from './turn-credentials.js';

/** The 200 answer for a freshly minted (or re-minted) member, from a join or a collected admission. */
export function joinResponse(member: Member, { rooms, config, tickets }: Pick<ApiContext, 'rooms' | 'config' | 'tickets'>): JoinResponse {
  const { turnUrls, turnSecret, turnTtlSeconds } = config;
  const turn = turnSecret === undefined ? [] : [turnCredentials({ urls: turnUrls, secret: turnSecret, ttlSeconds: turnTtlSeconds }, member.peerId)];
  return {
    room: member.room,
    peerId: member.peerId,
    token: member.token,
    name: member.name,
    roster: rooms.roster(member.room),
    iceServers: [...config.iceServers, ...turn],
    peer: { path: `/${PEER_PATH}`, key: config.peerKey },
    role: member.role ?? 'guest',
    resume: tickets.issue(member),
  };
}

/**
 * The ICE servers every join gets, when nothing in them is secret: STUN only (or none), without
 * TURN credentials, minted or the operator's own. Undefined otherwise: those go to members only.
 */
export function publicIceServers({ iceServers, turnSecret }: Pick<ServerConfig, 'iceServers' | 'turnSecret'>): RTCIceServerLike[] | undefined {
  if (turnSecret !== undefined) return undefined;
  const isPublic = ({ urls, username, credential }: RTCIceServerLike) =>
    username === undefined && credential === undefined && [urls].flat().every((url) => /^stun:/i.test(url));
  return iceServers.every(isPublic) ? iceServers : undefined;
}
