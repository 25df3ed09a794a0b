import type { Request, Response } from 'express';
import { sendError } from './http-errors.js';

/**
 * The JSON object body of a request already run through express.json(), or undefined after
 * answering 415/400. An empty body (Content-Length: 0) is an empty object, whatever its type.
 */
export function jsonObjectBody(req: Request, res: Response): Record<string, unknown> | undefined {
  const hasContent = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasContent && !req.is('application/json')) {
    sendError(res, 415, 'Send the request body as application/json.');
    return undefined;
  }
  const body: unknown = req.body ?? {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    sendError(res, 400, 'The request body must be a JSON object.');
    return undefined;
  }
  return body as Record<string, unknown>;
}
