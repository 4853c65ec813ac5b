/** The isolate's heap while the run executes (live), and the figures before and after it. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { HeapFigures } from '../../../../engine/common/contract.ts';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { cssVar, UPlotChart } from '../../ui/UPlotChart.tsx';
import { formatBytes } from '../../../../engine/common/units.ts';

const MB = 1024 * 1024;

function Figures({ before, after }: { before?: HeapFigures | undefined; after: HeapFigures }) {
  const rows: [string, keyof HeapFigures][] = [
    ['Used', 'usedBytes'],
    ['Total', 'totalBytes'],
    ['External', 'externalBytes'],
    ['Limit', 'limitBytes'],
  ];
  return (
    <table className="figures" aria-label="Heap before and after">
      <thead>
        <tr>
          <th />
          <th>Before</th>
          <th>After</th>
          <th>Change</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, key]) => (
          <tr key={key}>
            <td>{label}</td>
            <td>{before ? formatBytes(before[key]) : '–'}</td>
            <td>{formatBytes(after[key])}</td>
            <td>{before ? (after[key] - before[key] >= 0 ? '+' : '') + formatBytes(after[key] - before[key]) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function HeapPanel({ theme }: { theme: 'light' | 'dark' }) {
  const controller = useController();
  const session = useStore(controller.runs, (s) => s.current);
  const samples = session?.heap ?? [];
  const version = session?.version ?? 0;

  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false } },
      axes: [
        { stroke: cssVar('--fg-muted'), grid: { stroke: cssVar('--border') }, values: (_u, v) => v.map((x) => `${Math.round(x)} ms`) },
        { stroke: cssVar('--fg-muted'), grid: { stroke: cssVar('--border') }, values: (_u, v) => v.map((x) => `${x.toFixed(x < 10 ? 1 : 0)} MB`), size: 60 },
      ],
      series: [
        { label: 'time' },
        { label: 'used', stroke: cssVar('--chart-1'), width: 2, value: (_u, v) => (v == null ? '–' : `${v.toFixed(2)} MB`) },
        { label: 'total', stroke: cssVar('--chart-2'), width: 1.5, value: (_u, v) => (v == null ? '–' : `${v.toFixed(2)} MB`) },
        { label: 'external', stroke: cssVar('--chart-4'), width: 1.5, value: (_u, v) => (v == null ? '–' : `${v.toFixed(2)} MB`) },
        { label: 'limit', stroke: cssVar('--chart-3'), width: 1, dash: [6, 4], value: (_u, v) => (v == null ? '–' : `${v.toFixed(0)} MB`) },
      ],
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [theme],
  );

  const data = useMemo<uPlot.AlignedData>(
    () => [
      samples.map((s) => s.timeMs),
      samples.map((s) => s.usedBytes / MB),
      samples.map((s) => s.totalBytes / MB),
      samples.map((s) => s.externalBytes / MB),
      samples.map((s) => s.limitBytes / MB),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [samples, version],
  );

  if (!session) return <div className="empty">Run a script to chart its heap.</div>;
  const heap = session.result?.heap;
  return (
    <div className="panel">
      <div className="panel-body">
        <h3 style={{ marginTop: 0 }}>
          Heap during {session.label} {session.running ? '· live' : ''} <span className="muted">({samples.length} samples)</span>
        </h3>
        {samples.length > 0 ? (
          <UPlotChart options={options} data={data} label="Heap over time: used, total, external and limit" />
        ) : (
          <div className="empty">{session.running ? 'Waiting for the first heap sample…' : 'The run ended before the first heap sample (runs shorter than ~50 ms have none).'}</div>
        )}
        {heap && (
          <>
            <h3>Before and after</h3>
            <Figures before={heap.before} after={heap} />
          </>
        )}
      </div>
    </div>
  );
}
