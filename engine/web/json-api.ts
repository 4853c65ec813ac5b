/**
 * The JSON API of web mode, for scripts and tools: `POST /api/run | /api/call | /api/leak` and
 * `GET /api/health`. A run answers with its RunResult whatever happened inside (a timeout is a
 * 200 with `error.type: "TimeoutError"`); only requests that do not fit the contract get 4xx.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { CallerRunRequest, CallSpec } from '../common/contract.ts';
import { CallerLeakRequest } from '../common/leak.ts';
import { validationMessage } from '../common/validation.ts';
import type { Engine } from '../client/api.ts';
import { HttpError, readJsonBody, sendError, sendJson } from './http-util.ts';

/** `/api/call`: the script plus the name and JSON arguments of the function to call. */
export const CallBody = CallerRunRequest.omit({ call: true }).extend({ name: CallSpec.shape.name, args: CallSpec.shape.args });

export interface JsonApiOptions {
  engine: Engine;
  maxBodyBytes: number;
  /** For `/api/health`. */
  connectedPages: () => number;
  startedAt: number;
}

export type ApiRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createJsonApi(options: JsonApiOptions): Map<string, { method: 'GET' | 'POST'; handle: ApiRoute }> {
  const { engine } = options;

  /** Cancels the run if the client hangs up before its answer is written. */
  function cancelOnHangUp(res: ServerResponse, runId: string): void {
    res.once('close', () => {
      if (!res.writableFinished) engine.cancel(runId);
    });
  }

  async function parse<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
    const body = await readJsonBody(req, options.maxBodyBytes);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new HttpError(400, 'InvalidRequestError', `invalid request: ${validationMessage(parsed.error, { whole: 'body' })}`);
    return parsed.data;
  }

  const routes = new Map<string, { method: 'GET' | 'POST'; handle: ApiRoute }>();
  routes.set('/api/run', {
    method: 'POST',
    handle: async (req, res) => {
      const request = await parse(req, CallerRunRequest);
      const runId = randomUUID();
      cancelOnHangUp(res, runId);
      sendJson(res, 200, await engine.run(request, { runId }));
    },
  });
  routes.set('/api/call', {
    method: 'POST',
    handle: async (req, res) => {
      const { name, args, ...request } = await parse(req, CallBody);
      const runId = randomUUID();
      cancelOnHangUp(res, runId);
      sendJson(res, 200, await engine.run({ ...request, call: { name, args } }, { runId }));
    },
  });
  routes.set('/api/leak', {
    method: 'POST',
    handle: async (req, res) => {
      const request = await parse(req, CallerLeakRequest);
      const runId = randomUUID();
      cancelOnHangUp(res, runId);
      sendJson(res, 200, await engine.leak(request, { runId }));
    },
  });
  routes.set('/api/health', {
    method: 'GET',
    handle: async (_req, res) => {
      const status = await engine.status();
      sendJson(res, 200, {
        ok: status.state === 'ready',
        state: status.state,
        pool: status.pool
          ? { size: status.pool.size, busy: status.pool.busy, queued: status.pool.queued, maxQueue: status.pool.maxQueue }
          : null,
        restarts: status.interrupts.hostRestarts,
        interrupts: status.interrupts,
        versions: status.versions ?? null,
        hostPid: status.hostPid ?? null,
        connectedPages: options.connectedPages(),
        uptimeMs: Date.now() - options.startedAt,
        status,
      });
    },
  });
  return routes;
}

export async function handleApi(routes: ReturnType<typeof createJsonApi>, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const route = routes.get(path);
  if (!route) return sendError(res, 404, 'NotFoundError', `no API endpoint ${path}`);
  if (req.method !== route.method) {
    res.setHeader('Allow', route.method);
    return sendError(res, 405, 'InvalidRequestError', `${path} takes ${route.method}`);
  }
  try {
    await route.handle(req, res);
  } catch (error) {
    if (error instanceof HttpError) return sendError(res, error.status, error.type, error.message);
    sendError(res, 500, 'InternalError', error instanceof Error ? error.message : String(error));
  }
}
