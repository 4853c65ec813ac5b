/** The right-hand side: a one-line outcome of the run always in view, and the seven panels. */
import { useEffect } from 'react';
import { useController } from './context.ts';
import type { PanelId } from './controller.ts';
import { useStore } from '../state/store.ts';
import { ConsolePanel } from '../features/console/ConsolePanel.tsx';
import { DebugPanel } from '../features/debugger/DebugPanel.tsx';
import { ProfilePanel } from '../features/profile/ProfilePanel.tsx';
import { StopReceiptView } from '../features/result/StopReceipt.tsx';
import { EnginePanel } from '../features/engine/EnginePanel.tsx';
import { HeapPanel } from '../features/heap/HeapPanel.tsx';
import { LeaksPanel } from '../features/leaks/LeaksPanel.tsx';
import { PackagesPanel } from '../features/packages/PackagesPanel.tsx';
import { ResultPanel } from '../features/result/ResultPanel.tsx';
import { summary } from '../features/result/value-model.ts';
import { TimingPanel } from '../features/timing/TimingPanel.tsx';
import { formatDuration } from '../../../engine/common/units.ts';

const PANELS: { id: PanelId; label: string }[] = [
  { id: 'console', label: 'Console' },
  { id: 'debug', label: 'Debug' },
  { id: 'profile', label: 'Profile' },
  { id: 'result', label: 'Result' },
  { id: 'timing', label: 'Timing' },
  { id: 'heap', label: 'Heap' },
  { id: 'leaks', label: 'Leaks' },
  { id: 'packages', label: 'Packages' },
  { id: 'engine', label: 'Engine' },
];

/** The outcome in one line, whatever panel is open; marks its first paint for the latency probe. */
function OutcomeStrip() {
  const controller = useController();
  const session = useStore(controller.runs, (s) => s.current);
  const result = session?.result;
  const runId = session?.runId;
  const done = !!result;
  useEffect(() => {
    if (!done || controller.runClickedAt === null) return;
    const clicked = controller.runClickedAt;
    controller.runClickedAt = null;
    requestAnimationFrame(() => {
      performance.measure('isolab:run-to-result', { start: clicked, end: performance.now() });
    });
  }, [runId, done, controller]);

  if (!session || session.kind === 'leak') return null;
  let text: string;
  let tone: 'ok' | 'error' | 'running';
  if (!result) {
    text = session.cancelRequested ? `Stopping ${session.label}…` : `Running ${session.label}…`;
    tone = 'running';
  } else if (result.ok) {
    text = `${summary(result.value ?? { $isolab: 'undefined' })}`;
    tone = 'ok';
  } else {
    text = `${result.error?.type}: ${result.error?.message}`;
    tone = 'error';
  }
  return (
    <div
      className="panel-bar mono"
      role="status"
      aria-label="Run outcome"
      data-state={tone}
      style={{ background: tone === 'error' ? 'var(--error-bg)' : undefined, color: tone === 'error' ? 'var(--error-fg)' : undefined, cursor: 'pointer', flexWrap: 'nowrap' }}
      onClick={() => controller.showPanel('result')}
      title="Show the Result panel"
    >
      <span aria-hidden>{tone === 'ok' ? '←' : tone === 'error' ? '✖' : '…'}</span>
      <span style={{ flex: 1, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} data-testid="outcome">
        {text}
      </span>
      {result && <span className="muted">{formatDuration(result.timing.totalMs)}</span>}
    </div>
  );
}

export function Panels({ theme }: { theme: 'light' | 'dark' }) {
  const controller = useController();
  const panel = useStore(controller.ui, (s) => s.panel);
  const logCount = useStore(controller.runs, (s) => s.current?.logs.length ?? 0);
  const failed = useStore(controller.runs, (s) => s.current?.result?.ok === false);
  const paused = useStore(controller.debugger.store, (s) => s.status === 'paused');
  const stopped = useStore(controller.runs, (s) => s.current?.result?.error?.stopped);
  const script = useStore(controller.runs, (s) => s.current?.script ?? '');
  return (
    <section className="panels" aria-label="Run output" style={{ gridTemplateRows: stopped && panel === 'console' ? 'auto auto auto 1fr' : 'auto auto 1fr' }}>
      <div className="panel-tabs" role="tablist" aria-label="Panels">
        {PANELS.map((p) => (
          <button
            key={p.id}
            type="button"
            role="tab"
            id={`tab-${p.id}`}
            aria-selected={panel === p.id}
            aria-controls={`panel-${p.id}`}
            onClick={() => controller.showPanel(p.id)}
          >
            {p.label}
            {p.id === 'console' && logCount > 0 && <span className="badge">{logCount > 9999 ? `${Math.floor(logCount / 1000)}k` : logCount}</span>}
            {p.id === 'result' && failed && <span className="badge error">!</span>}
            {p.id === 'debug' && paused && <span className="badge">❚❚</span>}
          </button>
        ))}
      </div>
      <OutcomeStrip />
      {stopped && panel === 'console' && (
        <div className="panel-bar">
          <StopReceiptView receipt={stopped} script={script} />
        </div>
      )}
      <div role="tabpanel" id={`panel-${panel}`} aria-labelledby={`tab-${panel}`} style={{ minHeight: 0, display: 'flex', flexDirection: 'column' }}>
        {panel === 'console' && <ConsolePanel />}
        {panel === 'debug' && <DebugPanel />}
        {panel === 'profile' && <ProfilePanel />}
        {panel === 'result' && <ResultPanel />}
        {panel === 'timing' && <TimingPanel />}
        {panel === 'heap' && <HeapPanel theme={theme} />}
        {panel === 'leaks' && <LeaksPanel theme={theme} />}
        {panel === 'packages' && <PackagesPanel />}
        {panel === 'engine' && <EnginePanel />}
      </div>
    </section>
  );
}
