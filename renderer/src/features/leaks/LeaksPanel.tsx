/** The leak profile: its timeline drawn as iterations complete, then the verdict and its reasons. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { cssVar, UPlotChart } from '../../ui/UPlotChart.tsx';
import { formatBytes, formatDuration } from '../../../../engine/common/units.ts';
import { describeExplanation, describeLeakGroup, verdictHeadline } from '../../../../engine/common/leak-words.ts';
import type { LeakExplanation } from '../../../../engine/common/leak.ts';
import { handleLedger, totalHandles } from './verdict.ts';

const KB = 1024;

export function LeaksPanel({ theme }: { theme: 'light' | 'dark' }) {
  const controller = useController();
  const session = useStore(controller.runs, (s) => (s.current?.kind === 'leak' ? s.current : null));
  const samples = session?.leakSamples ?? [];
  const version = session?.version ?? 0;

  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false }, handles: { range: (_u, _min, max) => [0, Math.max(4, max * 1.2)] } },
      axes: [
        { stroke: cssVar('--fg-muted'), grid: { stroke: cssVar('--border') }, label: 'iteration' },
        { stroke: cssVar('--fg-muted'), grid: { stroke: cssVar('--border') }, values: (_u, v) => v.map((x) => formatBytes(x * KB)), size: 64 },
        { scale: 'handles', side: 1, stroke: cssVar('--fg-muted'), grid: { show: false }, size: 40 },
      ],
      series: [
        { label: 'iteration' },
        { label: 'heap after GC', stroke: cssVar('--chart-1'), width: 2, value: (_u, v) => (v == null ? '–' : formatBytes(v * KB)) },
        { label: 'external', stroke: cssVar('--chart-4'), width: 1.5, value: (_u, v) => (v == null ? '–' : formatBytes(v * KB)) },
        { label: 'handles', scale: 'handles', stroke: cssVar('--chart-2'), width: 1.5, dash: [4, 3] },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [theme],
  );

  const data = useMemo<uPlot.AlignedData>(
    () => [samples.map((s) => s.iteration), samples.map((s) => s.heapUsedBytes / KB), samples.map((s) => s.externalBytes / KB), samples.map(totalHandles)],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [samples, version],
  );

  if (!session) {
    return (
      <div className="empty">
        Profile leaks runs the script many times in one context with a full GC between runs and fits a line through what survives.
        <div style={{ marginTop: 10 }}>
          <button type="button" className="btn" onClick={() => void controller.profileLeaks()}>
            ◔ Profile leaks now
          </button>
        </div>
      </div>
    );
  }
  const report = session.leak;
  const total = session.leakIterations || report?.iterations || 1;
  const done = report ? report.completed : samples.length;
  return (
    <div className="panel">
      <div className="panel-body">
        <div className="row" style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
          <progress max={total} value={done} aria-label="Leak profile progress" />
          <span className="muted">
            {done} / {total} iterations
          </span>
          {session.running && (
            <button type="button" className="btn danger" aria-label="Cancel leak profile" onClick={() => controller.cancel(session.runId)}>
              Cancel
            </button>
          )}
        </div>
        {report ? (
          <div role="status" aria-label="Leak verdict">
            <div className={`verdict ${report.verdict}`}>{verdictHeadline(report)}</div>
            <div className="muted">
              slope {formatBytes(report.slopeBytesPerIteration)}/iteration · confidence {report.confidence} · {report.completed} iterations ({report.warmupIterations} warm-up) in {formatDuration(report.totalMs)}
            </div>
            {report.reasons.length > 0 && (
              <ul style={{ margin: '6px 0', paddingLeft: 18 }}>
                {report.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
            )}
            {report.stoppedBy && (
              <div className="error-box" style={{ marginTop: 6 }}>
                <span className="type">Stopped early: {report.stoppedBy.type}</span>: {report.stoppedBy.message}
              </div>
            )}
            {report.explanation ? (
              <Explanation explanation={report.explanation} script={session.script} />
            ) : (
              !session.running && (
                <button type="button" className="btn" style={{ marginTop: 6 }} onClick={() => void controller.explainLeaks()}>
                  Explain: what survives and who holds it
                </button>
              )
            )}
          </div>
        ) : (
          <div className="verdict inconclusive" style={{ fontWeight: 400, fontSize: 14 }}>
            Profiling {session.label}…
          </div>
        )}
        <h3>Timeline</h3>
        {samples.length > 0 ? <UPlotChart options={options} data={data} label="Leak timeline: heap after GC, external bytes and handles per iteration" /> : <div className="empty">Waiting for the first iteration…</div>}
        <h3>Handles by kind</h3>
        <HandleTable samples={samples} slopes={report?.handleSlopes ?? {}} />
      </div>
    </div>
  );
}

function HandleTable({ samples, slopes }: { samples: Parameters<typeof handleLedger>[0]; slopes: Record<string, number> }) {
  const rows = handleLedger(samples, slopes);
  if (rows.length === 0) return <div className="muted">No host handles (timers, callbacks) outstanding.</div>;
  return (
    <table className="figures" aria-label="Handles by kind">
      <thead>
        <tr>
          <th>Kind</th>
          <th>Outstanding</th>
          <th>Per iteration</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.kind}>
            <td>{r.kind}</td>
            <td>{r.last}</td>
            <td>{r.slope === 0 ? '0' : `${r.slope > 0 ? '+' : ''}${r.slope.toFixed(2)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The groups under the verdict, each with its retainer path; a step with a line opens it in the editor. */
function Explanation({ explanation, script }: { explanation: LeakExplanation; script: string }) {
  const controller = useController();
  const footer = describeExplanation(explanation).at(-1);
  return (
    <section aria-label="Leak explanation">
      <h3>What survives, and who holds it</h3>
      {explanation.incomplete && <div className="error-box">Explanation incomplete: {explanation.incomplete}</div>}
      {explanation.groups.length === 0 && !explanation.incomplete && <div className="muted">Nothing from user code survived between snapshots {explanation.iterationsBetweenSnapshots} runs apart.</div>}
      <ul className="leak-groups">
        {explanation.groups.map((group, i) => (
          <li key={i}>
            <div>{describeLeakGroup(group)}</div>
            <div className="leak-path" aria-label="Retainer path">
              {group.retainerPath.map((step, j) => (
                <span key={j}>
                  {j > 0 && ' → '}
                  {step.line !== undefined ? (
                    <button type="button" className="link" title={`Show line ${step.line}`} onClick={() => controller.revealLine(script, step.line!, step.column ?? 1)}>
                      {step.label}
                    </button>
                  ) : (
                    step.label
                  )}
                </span>
              ))}
            </div>
          </li>
        ))}
      </ul>
      <div className="muted">{footer}</div>
    </section>
  );
}
