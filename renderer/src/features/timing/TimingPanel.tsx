/** Where the last run's time went, and how recent runs compare. */
import type { Timing } from '../../../../engine/common/contract.ts';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { formatBytes, formatDuration } from '../../../../engine/common/units.ts';

const SEGMENTS = [
  { key: 'queuedMs', label: 'Queued', color: 'var(--seg-queued)' },
  { key: 'compileMs', label: 'Compile', color: 'var(--seg-compile)' },
  { key: 'executionMs', label: 'Execution', color: 'var(--seg-exec)' },
] as const;

function TimingBar({ timing }: { timing: Timing }) {
  const total = Math.max(timing.totalMs, timing.queuedMs + timing.compileMs + timing.executionMs, 0.001);
  const other = Math.max(0, total - timing.queuedMs - timing.compileMs - timing.executionMs);
  return (
    <>
      <div className="timing-bar" role="img" aria-label={`Total ${formatDuration(timing.totalMs)}: queued ${formatDuration(timing.queuedMs)}, compile ${formatDuration(timing.compileMs)}, execution ${formatDuration(timing.executionMs)}`}>
        {SEGMENTS.map((s) => (
          <span key={s.key} style={{ width: `${(timing[s.key] / total) * 100}%`, background: s.color }} title={`${s.label} ${formatDuration(timing[s.key])}`} />
        ))}
        <span style={{ width: `${(other / total) * 100}%`, background: 'var(--border)' }} title={`Transport and other ${formatDuration(other)}`} />
      </div>
      <div className="legend">
        {SEGMENTS.map((s) => (
          <span key={s.key}>
            <i style={{ background: s.color }} />
            {s.label} <b>{formatDuration(timing[s.key])}</b>
          </span>
        ))}
        <span>
          <i style={{ background: 'var(--seg-cpu)' }} />
          CPU <b>{formatDuration(timing.cpuMs)}</b>
        </span>
        <span>
          Total <b>{formatDuration(timing.totalMs)}</b>
        </span>
      </div>
    </>
  );
}

export function TimingPanel() {
  const controller = useController();
  const history = useStore(controller.runs, (s) => s.history);
  const last = history[0];
  const bundle = useStore(controller.runs, (s) => (s.current?.runId === s.history[0]?.runId ? s.current?.result?.bundle : undefined));
  if (!last) return <div className="empty">Timings appear here after a run.</div>;
  const max = Math.max(...history.map((h) => h.timing.totalMs), 0.001);
  return (
    <div className="panel">
      <div className="panel-body">
        <h3 style={{ marginTop: 0 }}>Last run · {last.label}</h3>
        <TimingBar timing={last.timing} />
        {bundle && (
          <p className="muted" aria-label="Imports bundled">
            Imports: {bundle.files} files, {formatBytes(bundle.bytes)}{' '}
            {bundle.cached ? `from the cache (checked in ${formatDuration(bundle.ms)})` : `bundled in ${formatDuration(bundle.ms)}`}, before the run queued
          </p>
        )}
        <h3>Recent runs</h3>
        <table className="figures" aria-label="Recent runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Result</th>
              <th>Queued</th>
              <th>Compile</th>
              <th>Execution</th>
              <th>CPU</th>
              <th>Total</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.runId}>
                <td title={new Date(h.finishedAt).toLocaleTimeString()}>{h.label}</td>
                <td style={{ color: h.ok ? 'var(--ok)' : 'var(--error-fg)' }}>{h.ok ? 'ok' : h.errorType}</td>
                <td>{formatDuration(h.timing.queuedMs)}</td>
                <td>{formatDuration(h.timing.compileMs)}</td>
                <td>{formatDuration(h.timing.executionMs)}</td>
                <td>{formatDuration(h.timing.cpuMs)}</td>
                <td>
                  <span className="mini-bar" style={{ width: `${Math.max(2, (h.timing.totalMs / max) * 60)}px` }} />
                  {formatDuration(h.timing.totalMs)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
