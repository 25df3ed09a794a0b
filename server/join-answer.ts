import { PEER_PATH, type JoinResponse } from '../src/core/protocol.js';
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
