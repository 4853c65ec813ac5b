/**
 * Workspace failures carry the ApiError type they map to, so the channel layer can reply with a
 * typed error without guessing from messages or errno codes.
 */
import type { ApiError } from '../common/api.ts';

export type WorkspaceErrorType = Exclude<ApiError['type'], 'InternalError'>;

export class WorkspaceError extends Error {
  override readonly name = 'WorkspaceError';
  readonly type: WorkspaceErrorType;

  constructor(type: WorkspaceErrorType, message: string) {
    super(message);
    this.type = type;
  }
}

export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

export function hasCode(error: unknown, ...codes: string[]): boolean {
  return isErrnoException(error) && codes.includes(error.code ?? '');
}
