/**
 * The engine host channel: what EngineClient and the engine host process say to each other.
 * Both sides parse every message they receive with these schemas.
 */
import * as z from 'zod';
import { EngineStatus, HeapSample, HostInterruptStats, LogEntry, PoolStatus, RunRequest, RunResult } from './contract.ts';
import { LeakReport, LeakRequest, LeakSample } from './leak.ts';
import { MAX_INSPECTOR_MESSAGE_CHARS } from './inspect.ts';

/** Events a run produces while it executes; front ends forward them to the UI. */
export const RunEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('log'), runId: z.string(), entry: LogEntry }),
  z.object({ type: z.literal('heap'), runId: z.string(), sample: HeapSample }),
  /** A Chrome DevTools Protocol message (response or notification) from a debugged run's session. */
  z.object({ type: z.literal('inspector'), runId: z.string(), message: z.string() }),
  /**
   * The run lost its engine host to another run (one that could not be interrupted) and starts
   * over on a new host: what was streamed so far no longer counts.
   */
  z.object({ type: z.literal('restarted'), runId: z.string(), reason: z.string() }),
  z.object({
    type: z.literal('leakProgress'),
    runId: z.string(),
    sample: LeakSample,
    iterations: z.number().int(),
  }),
]);
export type RunEvent = z.infer<typeof RunEvent>;

export const HostRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), id: z.string(), request: RunRequest }),
  z.object({ type: z.literal('leak'), id: z.string(), request: LeakRequest }),
  z.object({ type: z.literal('cancel'), runId: z.string() }),
  /** A Chrome DevTools Protocol message for a debugged run's session. */
  z.object({ type: z.literal('inspect'), runId: z.string(), message: z.string().max(MAX_INSPECTOR_MESSAGE_CHARS) }),
  z.object({ type: z.literal('status'), id: z.string() }),
  z.object({ type: z.literal('ping'), seq: z.number().int() }),
  z.object({ type: z.literal('shutdown') }),
]);
export type HostRequest = z.input<typeof HostRequest>;

export const HostVersions = EngineStatus.shape.versions.unwrap();
export type HostVersions = z.infer<typeof HostVersions>;

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int(), versions: HostVersions }),
  /** A run (or leak profile) got its isolate: its deadline starts now. */
  z.object({ type: z.literal('started'), id: z.string() }),
  z.object({ type: z.literal('result'), id: z.string(), result: RunResult }),
  z.object({ type: z.literal('leakResult'), id: z.string(), report: LeakReport }),
  z.object({ type: z.literal('status'), id: z.string(), status: PoolStatus, interrupts: HostInterruptStats }),
  /** Run events in the order they happened, batched (a console flood is thousands per second). */
  z.object({ type: z.literal('events'), events: z.array(RunEvent).min(1) }),
  z.object({ type: z.literal('pong'), seq: z.number().int() }),
  /**
   * The host still works but should be replaced: code in run `runId` ignored its interrupt and a
   * thread is stuck in it (the run itself has been answered). Its other runs may finish first.
   */
  z.object({ type: z.literal('degraded'), runId: z.string(), reason: z.string() }),
  /** The host is about to end itself (e.g. over its RSS limit); the reason goes to the runs it abandons. */
  z.object({ type: z.literal('exiting'), reason: z.string() }),
  /** A request the host could not parse; `id` when it could tell which. */
  z.object({ type: z.literal('rejected'), id: z.string().optional(), message: z.string() }),
]);
export type HostMessage = z.infer<typeof HostMessage>;
