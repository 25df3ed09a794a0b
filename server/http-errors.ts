import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Response } from 'express';
import type { ErrorResponse } from '../src/core/protocol.js';
import { errorField, type Logger } from './log.js';

export function sendError(res: Response, status: number, message: string): void {
  const body: ErrorResponse = { message };
  res.status(status).json(body);
}

/** Messages for the errors body-parser raises on a visitor's malformed request. */
const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON.',
  'entity.too.large': 'The request body is too large.',
};

/**
 * Last in the chain: a visitor's bad request gets its 4xx as JSON, anything else is our bug,
 * so it is logged and answered with a bare 500 that reveals nothing about the server.
 */
export function handleErrors(logger: Logger): ErrorRequestHandler {
  return (error, req, res, next) => {
    const status = clientErrorStatus(error);
    if (status === undefined) logger.error('request failed', { method: req.method, path: req.path, ...errorField(error) });
    // Too late for an answer; Express's own handler cuts the connection.
    if (res.headersSent) {
      next(error);
      return;
    }
    if (status === undefined) {
      sendError(res, 500, 'Internal server error');
      return;
    }
    answerClientError(res, error, status);
  };
}

function answerClientError(res: Response, error: unknown, status: number): void {
  const type = (error as { type?: unknown }).type;
  const known = typeof type === 'string' ? CLIENT_ERROR_MESSAGES[type] : undefined;
  sendError(res, status, known ?? STATUS_CODES[status] ?? 'Bad request');
}

function clientErrorStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
