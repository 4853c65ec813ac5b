/** Engine state, pool usage, last run time, and the connection when it is not fine. */
import { useEffect, useState } from 'react';
import { useController } from './context.ts';
import { useStore } from '../state/store.ts';
import { formatDuration } from '../../../engine/common/units.ts';

/** How long "Engine restarted" stays in the status bar after a replacement. */
const RESTART_NOTICE_MS = 8_000;

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

export function StatusBar() {
  const controller = useController();
  const engine = useStore(controller.engine, (s) => s);
  const running = useStore(controller.runs, (s) => s.running.length);
  const last = useStore(controller.runs, (s) => s.history[0]);
  const current = useStore(controller.runs, (s) => s.current);
  const saveError = useStore(controller.workspace.store, (s) => s.saveError);
  const settingsError = useStore(controller.ui, (s) => s.settingsError);
  const offline = engine.connection.state !== 'connected';
  const recentRestart = engine.lastRestart !== null && Date.now() - engine.lastRestart.at < RESTART_NOTICE_MS;
  const now = useNow(offline || running > 0 || recentRestart);

  let state: 'ready' | 'running' | 'restarting' | 'restarted' | 'offline' | 'starting';
  let text: string;
  if (engine.connection.state === 'reconnecting') {
    state = 'offline';
    const seconds = Math.max(0, Math.ceil((engine.connection.retryAt - now) / 1000));
    text = `Disconnected (${engine.connection.reason}) · reconnecting${seconds > 0 ? ` in ${seconds}s` : '…'}`;
  } else if (engine.connection.state === 'connecting') {
    state = 'offline';
    text = 'Connecting…';
  } else if (engine.restarting || engine.status?.state === 'restarting') {
    state = 'restarting';
    text = `Engine restarting${engine.restartReason ? ` (${engine.restartReason})` : ''}…`;
  } else if (running > 0) {
    state = 'running';
    const elapsed = current?.running ? now - current.startedAt : 0;
    text = `Running${running > 1 ? ` ${running} runs` : ''}${elapsed > 500 ? ` · ${(elapsed / 1000).toFixed(1)} s` : ''}`;
  } else if (!engine.status || engine.status.state === 'starting') {
    state = 'starting';
    text = 'Engine starting…';
  } else if (engine.lastRestart && now - engine.lastRestart.at < RESTART_NOTICE_MS) {
    state = 'restarted';
    text = `Engine restarted (${engine.lastRestart.reason})`;
  } else {
    state = 'ready';
    text = 'Engine ready';
  }
  const pool = engine.status?.pool;
  return (
    <footer className={`statusbar ${state}`} role="status" aria-label="Status" data-engine={state}>
      <span data-testid="engine-state">
        {state === 'running' || state === 'restarting' ? <span className="spin">◌</span> : <span className="dot" />} {text}
      </span>
      {pool && (
        <span title="isolates busy / pool size, runs waiting">
          Pool {pool.busy}/{pool.size} busy{pool.queued ? ` · ${pool.queued} queued` : ''}
        </span>
      )}
      {saveError && <span title={saveError}>⚠ {saveError}</span>}
      {settingsError && <span title={settingsError}>⚠ {settingsError}</span>}
      <span className="spacer" />
      {last && <span data-testid="last-run">Last run {formatDuration(last.timing.totalMs)}</span>}
      <span>{controller.backend.mode === 'web' ? 'web mode' : ''}</span>
    </footer>
  );
}
