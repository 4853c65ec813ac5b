/**
 * The Debug panel: the stepping controls, the call stack (click a frame for its line and scopes),
 * the selected frame's scopes as lazily expanded trees, and watch expressions.
 */
import { useState } from 'react';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { keyLabel, keyTooltip } from '../../ui/keys.ts';
import type { PauseOnExceptions } from './debugger.ts';
import type { Breakpoint } from './breakpoints.ts';
import { RemoteNode } from './RemoteTree.tsx';
import { Leaf } from '../result/ValueTree.tsx';
import { toEncoded } from './remote-value.ts';

function Controls() {
  const controller = useController();
  const { status, pauseOnExceptions } = useStore(controller.debugger.store, (s) => s);
  const paused = status === 'paused';
  const d = controller.debugger;
  return (
    <div className="panel-bar debug-controls" role="toolbar" aria-label="Debugger controls">
      <button type="button" className="btn" aria-label="Continue" title={`Continue (${keyLabel('debug')})`} disabled={!paused} onClick={() => void d.resume()}>
        ▶ Continue
      </button>
      <button type="button" className="btn" aria-label="Step over" title={keyTooltip('stepOver')} disabled={!paused} onClick={() => void d.stepOver()}>
        ↷ Over
      </button>
      <button type="button" className="btn" aria-label="Step into" title={keyTooltip('stepInto')} disabled={!paused} onClick={() => void d.stepInto()}>
        ↓ Into
      </button>
      <button type="button" className="btn" aria-label="Step out" title={keyTooltip('stepOut')} disabled={!paused} onClick={() => void d.stepOut()}>
        ↑ Out
      </button>
      <span className="muted" role="status" aria-label="Debugger state" data-state={status}>
        {status === 'idle' ? 'Not debugging' : paused ? `Paused (${controller.debugger.store.get().reason ?? 'breakpoint'})` : 'Running…'}
      </span>
      <div style={{ flex: 1 }} />
      <label className="field row" title="Pause when an exception is thrown">
        <span>Pause on exceptions</span>
        <select aria-label="Pause on exceptions" value={pauseOnExceptions} onChange={(e) => void d.setPauseOnExceptions(e.target.value as PauseOnExceptions)}>
          <option value="none">Never</option>
          <option value="uncaught">Uncaught</option>
          <option value="all">All</option>
        </select>
      </label>
    </div>
  );
}

type Mode = 'break' | 'condition' | 'log';

function modeOf(bp: Breakpoint): Mode {
  return bp.logMessage !== undefined ? 'log' : bp.condition !== undefined ? 'condition' : 'break';
}

/** The active script's breakpoints: a condition makes one conditional, a message makes it a logpoint. */
function BreakpointList() {
  const controller = useController();
  const script = useStore(controller.workspace.store, (s) => s.active);
  const list = useStore(controller.breakpoints.store, (s) => (script ? s.byScript[script] : undefined)) ?? [];
  if (!script) return null;
  const put = (bp: Breakpoint) => controller.breakpoints.put(script, bp);
  return (
    <section aria-label="Breakpoints">
      <h3>Breakpoints</h3>
      {list.length === 0 && <div className="muted">Click the editor's gutter, or press {keyLabel('toggleBreakpoint')}, to add one.</div>}
      <ul className="frame-list bp-list">
        {list.map((bp) => {
          const mode = modeOf(bp);
          const text = mode === 'log' ? bp.logMessage : bp.condition;
          return (
            <li key={bp.line} style={{ cursor: 'default' }}>
              <button type="button" className="btn link" onClick={() => controller.revealLine(script, bp.line)}>
                line {bp.line}
              </button>
              <select
                aria-label={`Breakpoint kind, line ${bp.line}`}
                value={mode}
                onChange={(e) => {
                  const next = e.target.value as Mode;
                  put(next === 'break' ? { line: bp.line } : next === 'condition' ? { line: bp.line, condition: text ?? '' } : { line: bp.line, logMessage: text ?? '' });
                }}
              >
                <option value="break">Break</option>
                <option value="condition">Break if</option>
                <option value="log">Log</option>
              </select>
              {mode !== 'break' && (
                <input
                  type="text"
                  aria-label={mode === 'log' ? `Log message, line ${bp.line}` : `Condition, line ${bp.line}`}
                  placeholder={mode === 'log' ? 'i is {i}' : 'i > 3'}
                  defaultValue={text}
                  onBlur={(e) => put(mode === 'log' ? { line: bp.line, logMessage: e.target.value } : { line: bp.line, condition: e.target.value })}
                  onKeyDown={(e) => e.key === 'Enter' && (e.target as HTMLInputElement).blur()}
                />
              )}
              <button type="button" className="btn link" aria-label={`Remove breakpoint, line ${bp.line}`} onClick={() => controller.breakpoints.remove(script, bp.line)}>
                ✕
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function CallStack() {
  const controller = useController();
  const { frames, selected, script } = useStore(controller.debugger.store, (s) => s);
  return (
    <section aria-label="Call stack">
      <h3>Call stack</h3>
      {frames.length === 0 && <div className="muted">Not paused.</div>}
      <ul className="frame-list" role="listbox" aria-label="Frames">
        {frames.map((f, i) => (
          <li
            key={f.callFrameId}
            role="option"
            aria-selected={i === selected}
            className={f.own ? '' : 'muted'}
            onClick={() => {
              controller.debugger.selectFrame(i);
              if (f.own && script) controller.revealLine(script, f.line);
            }}
          >
            <span>{f.functionName}</span>
            <span className="muted">
              {f.own ? `line ${f.line}` : 'internal'}:{f.column}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Scopes() {
  const controller = useController();
  const frame = useStore(controller.debugger.store, (s) => s.frames[s.selected]);
  return (
    <section aria-label="Scopes">
      <h3>Scopes</h3>
      <div className="tree">
        {frame?.scopes.map((scope, i) => (
          <RemoteNode
            key={scope.object.objectId ?? `${frame.callFrameId}:${i}`}
            label={scope.name ? `${scope.type} (${scope.name})` : scope.type}
            value={scope.object}
            defaultOpen={scope.type === 'local' || scope.type === 'block'}
          />
        ))}
      </div>
    </section>
  );
}

function Watches() {
  const controller = useController();
  const values = useStore(controller.debugger.store, (s) => s.watchValues);
  const [text, setText] = useState('');
  return (
    <section aria-label="Watch">
      <h3>Watch</h3>
      <div className="tree">
        {values.map((w, i) => (
          <div className="node row" key={`${w.expression}:${i}`}>
            <span className="key">{w.expression}</span>:{' '}
            {w.value ? <Leaf value={toEncoded(w.value)} /> : <span className="muted">{w.error === 'not paused' ? '—' : (w.error ?? '—')}</span>}
            <button type="button" className="btn link" aria-label={`Remove watch ${w.expression}`} onClick={() => controller.debugger.removeWatch(i)}>
              ✕
            </button>
          </div>
        ))}
      </div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          controller.debugger.addWatch(text);
          setText('');
        }}
      >
        <input aria-label="Add watch expression" placeholder="Add expression" value={text} onChange={(e) => setText(e.target.value)} className="mono" />
      </form>
    </section>
  );
}

export function DebugPanel() {
  return (
    <div className="panel debug-panel" data-testid="debug-panel">
      <Controls />
      <div className="panel-body debug-body">
        <CallStack />
        <Scopes />
        <Watches />
        <BreakpointList />
      </div>
    </div>
  );
}
