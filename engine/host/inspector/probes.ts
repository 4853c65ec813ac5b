/**
 * Probes that use V8's inspector (the run has an isolate of its own with it on: lease.ts).
 *
 * The debugger probe relays Chrome DevTools Protocol messages between a front end and the run's
 * session, and keeps the run's limits honest while it is paused: the deadline does not count
 * paused time, and a run paused longer than its idle limit is ended. With `waitForDebugger` the
 * code starts only when the front end says `Runtime.runIfWaitingForDebugger` (after enabling the
 * debugger and setting its breakpoints), as under Node's --inspect-brk.
 *
 * The CPU-profile probe records a V8 CPU profile of the execution through the Profiler domain.
 */
import { DEFAULT_DEBUG_IDLE_MS, DEFAULT_PROFILE_INTERVAL_US, type CpuProfile, type DebugOptions, type ProfileOptions } from '../../common/inspect.ts';
import type { TimerHandle } from '../../common/clock.ts';
import { GUEST_FILENAME } from '../../common/guest-abi.ts';
import type { Probe, ProbeTarget } from '../pipeline/probes.ts';
import { InspectorSession } from './session.ts';

export interface DebuggerProbeOptions extends DebugOptions {
  /** The user's script as V8 knows it (stopOnEntry breaks on its first line). */
  filename: string;
  /** Where the session's messages go (the run's `inspector` events). */
  relay: (message: string) => void;
}

export function debuggerProbe(o: DebuggerProbeOptions): Probe {
  let session: InspectorSession | undefined;
  let idle: TimerHandle | undefined;
  let target: ProbeTarget | undefined;
  let pausedAt: number | undefined;
  return {
    async start(t) {
      target = t;
      const own = new InspectorSession(t.isolate);
      session = own;
      own.relayTo(o.relay);
      let go: () => void = () => {};
      const ready = o.waitForDebugger ? new Promise<void>((resolve) => (go = resolve)) : Promise.resolve();
      t.job.inspector = (message) => {
        own.dispatch(message);
        if (isRunIfWaiting(message)) go();
      };
      own.onNotification((n) => {
        if (n.method === 'Debugger.paused') paused();
        if (n.method === 'Debugger.resumed') resumed();
      });
      await own.send('Debugger.enable');
      // Stepping skips the sandbox's own code (console, timers, Buffer): the user sees only theirs.
      await own.send('Debugger.setBlackboxPatterns', { patterns: [`^${GUEST_FILENAME}$`] });
      if (o.stopOnEntry) await own.send('Debugger.setBreakpointByUrl', { url: o.filename, lineNumber: 0, columnNumber: 0 });
      t.deadline.pause();
      // A run stopped (cancelled) while it waits for the debugger never starts.
      await Promise.race([ready, t.job.interruption]);
      t.deadline.resume();
    },
    stop() {
      if (target) target.job.inspector = undefined;
      if (target && pausedAt !== undefined) resumed();
      target?.clock.clearTimeout(idle);
      if (target) target.findings.pausedMs = target.deadline.pausedMs();
      session?.dispose();
    },
  };

  /** Lets paused code go for good, so its isolate can be disposed (see Job.leavePause). */
  async function leavePause(): Promise<void> {
    const own = session;
    if (!own) return;
    const resumedOnce = own.next('Debugger.resumed');
    await own.send('Debugger.setSkipAllPauses', { skip: true }).catch(() => {});
    await own.send('Debugger.resume').catch(() => {});
    await Promise.race([resumedOnce, new Promise((r) => setTimeout(r, LEAVE_PAUSE_MS))]);
  }

  function paused(): void {
    if (!target || pausedAt !== undefined) return;
    target.job.leavePause = leavePause;
    pausedAt = target.clock.now();
    target.deadline.pause();
    const job = target.job;
    idle = target.clock.setTimeout(() => job.interrupt('debuggerIdle'), o.idleLimitMs ?? DEFAULT_DEBUG_IDLE_MS);
  }

  function resumed(): void {
    if (!target || pausedAt === undefined) return;
    target.job.leavePause = undefined;
    pausedAt = undefined;
    target.clock.clearTimeout(idle);
    target.deadline.resume();
  }
}

/** How long letting paused code go may take (it answers at once unless the isolate is gone). */
const LEAVE_PAUSE_MS = 200;

/** The front end says: the debugger is set up, start the code. */
function isRunIfWaiting(message: string): boolean {
  try {
    return (JSON.parse(message) as { method?: unknown }).method === 'Runtime.runIfWaitingForDebugger';
  } catch {
    return false;
  }
}

export function cpuProfileProbe(o: ProfileOptions): Probe {
  let session: InspectorSession | undefined;
  let target: ProbeTarget | undefined;
  return {
    async start(t) {
      target = t;
      session = new InspectorSession(t.isolate);
      // A run stopped mid-profile still gets the profile so far (taken before its isolate goes).
      session.beforeClose = () => takeProfile();
      await session.send('Profiler.enable');
      await session.send('Profiler.setSamplingInterval', { interval: o.samplingIntervalUs ?? DEFAULT_PROFILE_INTERVAL_US });
      await session.send('Profiler.start');
    },
    async stop() {
      await takeProfile();
      session?.dispose();
    },
  };

  async function takeProfile(): Promise<void> {
    if (!session || !target || target.findings.cpuProfile) return;
    try {
      const { profile } = await session.send<{ profile: CpuProfile }>('Profiler.stop');
      target.findings.cpuProfile = profile;
    } catch {
      /* the isolate went first: no profile */
    }
  }
}
