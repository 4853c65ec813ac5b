/**
 * The Profile panel: the last CPU-profiled run as a flame graph (d3-flame-graph) and a bottom-up
 * table of functions by self time; clicking either opens the function's line. "Save .cpuprofile"
 * writes V8's profile unchanged, which Chrome DevTools, VS Code and speedscope load.
 */
import { useEffect, useMemo, useRef } from 'react';
import flamegraph from 'd3-flame-graph';
import { select } from 'd3-selection';
import type { CpuProfile } from '../../../../engine/common/inspect.ts';
import { formatDuration } from '../../../../engine/common/units.ts';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { keyTooltip } from '../../ui/keys.ts';
import { bottomUp, flameTree, type FlameNode } from './profile-model.ts';

const ms = (us: number) => formatDuration(us / 1000);

function FlameChart({ tree, onOpen }: { tree: FlameNode; onOpen: (line: number) => void }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current!;
    const chart = flamegraph<FlameNode>()
      .width(Math.max(200, el.clientWidth))
      .cellHeight(18)
      .minFrameSize(2)
      .transitionDuration(0)
      .sort(false)
      .label((d) => `${d.data.name}${d.data.line ? ` (line ${d.data.line})` : ''}: ${ms(d.data.value)}`)
      .onClick((d) => d.data.line && onOpen(d.data.line));
    select(el).datum(tree).call(chart);
    return () => {
      chart.destroy();
      el.replaceChildren();
    };
  }, [tree, onOpen]);
  return <div ref={host} className="flame-chart" role="img" aria-label="Flame chart" data-testid="flame-chart" />;
}

function save(profile: CpuProfile, script: string): void {
  const blob = new Blob([JSON.stringify(profile)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${script.replace(/\.[^.]+$/, '')}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ProfilePanel() {
  const controller = useController();
  const session = useStore(controller.runs, (s) => s.current);
  const profile = session?.result?.cpuProfile;
  const script = session?.script ?? '';
  const tree = useMemo(() => (profile ? flameTree(profile, script) : null), [profile, script]);
  const rows = useMemo(() => (profile ? bottomUp(profile).slice(0, 200) : []), [profile]);
  const open = useMemo(() => (line: number) => controller.revealLine(script, line), [controller, script]);

  if (!session || !session.result) {
    return <div className="empty">{session?.running ? 'Profiling…' : `Profile CPU (${keyTooltip('profileCpu')}) runs the script with V8's sampling profiler and shows where its time went.`}</div>;
  }
  if (!profile || !tree) return <div className="empty">The last run was not profiled: use Profile CPU.</div>;
  const samples = profile.samples?.length ?? 0;
  return (
    <div className="panel" data-testid="profile-panel">
      <div className="panel-bar">
        <span>
          {session.label} · {ms(profile.endTime - profile.startTime)} profiled · {samples.toLocaleString()} samples
        </span>
        <div style={{ flex: 1 }} />
        <button type="button" className="btn" aria-label="Save .cpuprofile" onClick={() => save(profile, script)}>
          ⤓ Save .cpuprofile
        </button>
      </div>
      <div className="panel-body profile-body">
        <FlameChart tree={tree} onOpen={open} />
        <table className="profile-table" aria-label="Bottom-up">
          <thead>
            <tr>
              <th>Function</th>
              <th>Self</th>
              <th>Total</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const own = r.url === script;
              return (
                <tr key={`${r.functionName}:${r.url}:${r.line}`} className={own ? 'own' : 'muted'} onClick={() => own && open(r.line)} title={own ? `Open line ${r.line}` : undefined}>
                  <td>
                    {r.functionName} {own && <span className="muted">line {r.line}</span>}
                  </td>
                  <td className="num">{ms(r.selfUs)}</td>
                  <td className="num">{ms(r.totalUs)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
