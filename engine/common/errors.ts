/**
 * Failure classes of the engine. Every class has a literal `name`, which is also the `type` a
 * RunResult's error carries, so a result read from JSON and an exception thrown in-process
 * speak the same words.
 */

export const ENGINE_ERROR_TYPES = [
  'TimeoutError',
  'CpuLimitError',
  'MemoryLimitError',
  'CancelledError',
  'EngineCrashedError',
  'EngineBusyError',
  'InvalidRequestError',
] as const;

export type EngineErrorType = (typeof ENGINE_ERROR_TYPES)[number];

abstract class EngineError extends Error {
  abstract override readonly name: EngineErrorType;
}

/** The run's wall-clock deadline (`timeoutMs`) passed. */
export class TimeoutError extends EngineError {
  override readonly name = 'TimeoutError' as const;
}

/** The run used more CPU time than `cpuLimitMs`. */
export class CpuLimitError extends EngineError {
  override readonly name = 'CpuLimitError' as const;
}

/** The isolate went past `memoryLimitMb`, or the host refused to allocate on its behalf. */
export class MemoryLimitError extends EngineError {
  override readonly name = 'MemoryLimitError' as const;
}

/** Somebody called `cancel(runId)`. */
export class CancelledError extends EngineError {
  override readonly name = 'CancelledError' as const;
}

/** The engine host process died (killed, crashed, aborted, or stopped answering) during the run. */
export class EngineCrashedError extends EngineError {
  override readonly name = 'EngineCrashedError' as const;
}

/** Every isolate is busy and the queue is full, or the host is over its memory budget. */
export class EngineBusyError extends EngineError {
  override readonly name = 'EngineBusyError' as const;
}

/** A request that does not match the contract. */
export class InvalidRequestError extends EngineError {
  override readonly name = 'InvalidRequestError' as const;
}
