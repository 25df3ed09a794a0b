import type { Response } from 'express';
import type { ErrorCode, ErrorResponse } from '../src/core/protocol.js';
import type { Metrics } from './metrics.js';

interface Refusal {
  status: number;
  message: string;
}

/**
 * Every refusal the API gives for a reason a client may want to word itself, with its status
 * and the message a person reads. One table, so that a code never drifts from its status.
 */
export const REFUSALS: Record<ErrorCode, Refusal> = {
  'token-required': { status: 401, message: 'This room needs an invitation: join with a token from the site.' },
  'token-invalid': { status: 401, message: 'The invitation token is not valid.' },
  'token-expired': { status: 401, message: 'The invitation token has expired; ask the site for a new one.' },
  'token-wrong-room': { status: 403, message: 'The invitation token is for another room.' },
  'token-revoked': { status: 403, message: 'A host removed you from this room; this invitation no longer works.' },
  'room-locked': { status: 423, message: 'Room is locked.' },
  'room-full': { status: 409, message: 'Room is full.' },
  declined: { status: 403, message: 'A host declined your request to join.' },
  'rate-limited': { status: 429, message: 'Too many requests from your address; try again shortly.' },
  'origin-not-allowed': { status: 403, message: 'This server does not accept calls from this site.' },
  'server-busy': { status: 503, message: 'The call server is busy; try again later.' },
  'not-a-member': { status: 401, message: 'Host controls need your peer id and token while you are connected to this room.' },
  'host-only': { status: 403, message: 'Only a host of this room may do that.' },
  'no-such-target': { status: 404, message: 'Nobody with that id is in this room or waiting to join it.' },
  'ticket-unknown': { status: 404, message: 'This waiting ticket is unknown or has expired; join again.' },
  'resume-invalid': { status: 401, message: 'This resume ticket cannot be used; join afresh.' },
};

/**
 * Answers with the refusal's status and `{ message, code }`, and counts it as
 * `http.refused.<code>`; `message` overrides the default wording.
 */
export function sendRefusal(res: Response, metrics: Metrics, code: ErrorCode, message = REFUSALS[code].message): void {
  metrics.count(`http.refused.${code}`);
  const body: ErrorResponse = { message, code };
  res.status(REFUSALS[code].status).json(body);
}
