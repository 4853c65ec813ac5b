/** Run, Stop, Profile leaks, Call a function, limits, reuse-context, examples. */
import { useMemo, useState } from 'react';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { Popover } from '../../ui/Popover.tsx';
import { keyLabel, keyTooltip } from '../../ui/keys.ts';
import { SETTINGS_BOUNDS } from '../../../../engine/common/api.ts';
import { EXAMPLES } from '../examples/examples.ts';
import { parseArgs, topLevelFunctions } from './functions.ts';

function NumberField({ label, value, bounds: { min, max }, unit, onChange, allowEmpty }: { label: string; value: number | null; bounds: { min: number; max: number }; unit: string; onChange: (v: number | null) => void; allowEmpty?: boolean }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const commit = (raw: string) => {
    if (raw.trim() === '' && allowEmpty) return onChange(null);
    const n = Math.round(Number(raw));
    if (Number.isFinite(n) && n >= min && n <= max) onChange(n);
  };
  return (
    <label className="field row">
      <span>{label}</span>
      <span>
        <input
          type="number"
          min={min}
          max={max}
          value={text}
          placeholder={allowEmpty ? 'none' : undefined}
          aria-label={`${label} (${unit})`}
          onChange={(e) => {
            setText(e.target.value);
            commit(e.target.value);
          }}
        />{' '}
        <span className="muted">{unit}</span>
      </span>
    </label>
  );
}

function CallForm({ close }: { close: () => void }) {
  const controller = useController();
  const active = useStore(controller.workspace.store, (s) => s.active);
  const functions = useMemo(() => (active ? topLevelFunctions(controller.workspace.text(active)) : []), [active, controller]);
  const [name, setName] = useState(functions[0] ?? '');
  const [args, setArgs] = useState('[]');
  const parsed = parseArgs(args);
  const submit = () => {
    if (!name || !parsed.ok) return;
    close();
    controller.runClickedAt = performance.now();
    void controller.run({ name, args: parsed.args as never[] });
  };
  return (
    <form
      style={{ display: 'grid', gap: 8, minWidth: 320 }}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {functions.length === 0 ? (
        <div className="muted">This script defines no top-level functions.</div>
      ) : (
        <label className="field row">
          <span>Function</span>
          <select aria-label="Function to call" value={name} onChange={(e) => setName(e.target.value)}>
            {functions.map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
      )}
      <label style={{ display: 'grid', gap: 4 }}>
        <span>Arguments (JSON array)</span>
        <textarea aria-label="Arguments (JSON)" rows={4} value={args} spellCheck={false} onChange={(e) => setArgs(e.target.value)} />
      </label>
      {!parsed.ok && (
        <div role="alert" style={{ color: 'var(--error-fg)' }}>
          {parsed.message}
        </div>
      )}
      <div className="row" style={{ justifyContent: 'flex-end' }}>
        <button type="submit" className="btn primary" disabled={!name || !parsed.ok}>
          Call {name ? `${name}()` : ''}
        </button>
      </div>
    </form>
  );
}

export function Toolbar() {
  const controller = useController();
  const running = useStore(controller.runs, (s) => s.running.length);
  const settings = useStore(controller.settings, (s) => s);
  const leakRunning = useStore(controller.runs, (s) => s.current?.kind === 'leak' && s.current.running);
  const debugging = useStore(controller.debugger.store, (s) => s.status !== 'idle');
  const paused = useStore(controller.debugger.store, (s) => s.status === 'paused');

  const openExample = async (file: string, content: string) => {
    await controller.workspace.create(file, content);
  };

  return (
    <header className="toolbar" role="toolbar" aria-label="Run controls">
      <span className="brand">Isolab</span>
      <button
        type="button"
        className="btn primary"
        aria-label="Run"
        title={keyTooltip('run')}
        onClick={() => {
          controller.runClickedAt = performance.now();
          void controller.run();
        }}
      >
        ▶ Run <kbd>{keyLabel('run')}</kbd>
      </button>
      <button
        type="button"
        className="btn"
        aria-label={paused ? 'Continue' : 'Debug'}
        title={paused ? `Continue (${keyLabel('debug')})` : `${keyTooltip('debug')}: run with the debugger, stopping at breakpoints`}
        disabled={debugging && !paused}
        onClick={() => controller.debugOrContinue()}
      >
        {paused ? '▶ Continue' : '◉ Debug'} <kbd>{keyLabel('debug')}</kbd>
      </button>
      <button type="button" className="btn" aria-label="Profile CPU" title={`${keyTooltip('profileCpu')}: run with V8's sampling profiler`} onClick={() => void controller.run(undefined, 'profile')}>
        ◷ Profile CPU
      </button>
      {running > 0 && (
        <button type="button" className="btn danger" aria-label="Stop" title={keyTooltip('stop')} onClick={() => void controller.stop()}>
          ■ Stop <kbd>{keyLabel('stop')}</kbd>
        </button>
      )}
      <div className="sep" />
      <button type="button" className="btn" aria-label="Profile leaks" title={`${keyTooltip('profileLeaks')}: run ${settings.leakIterations} times with a GC between runs`} disabled={leakRunning} onClick={() => void controller.profileLeaks()}>
        ◔ Profile leaks
      </button>
      <input
        type="number"
        min={SETTINGS_BOUNDS.leakIterations.min}
        max={SETTINGS_BOUNDS.leakIterations.max}
        aria-label="Leak profile iterations"
        title="Iterations of the leak profile"
        value={settings.leakIterations}
        onChange={(e) => {
          const n = Math.round(Number(e.target.value));
          if (n >= SETTINGS_BOUNDS.leakIterations.min && n <= SETTINGS_BOUNDS.leakIterations.max) controller.updateSettings({ leakIterations: n });
        }}
        style={{ width: 64 }}
      />
      <Popover label="Call function" button="ƒ( ) Call function">
        {(close) => <CallForm close={close} />}
      </Popover>
      <div className="sep" />
      <Popover label="Limits" button="⚙ Limits">
        {() => (
          <>
            <NumberField label="Timeout" unit="ms" bounds={SETTINGS_BOUNDS.timeoutMs} value={settings.timeoutMs} onChange={(v) => v !== null && controller.updateSettings({ timeoutMs: v })} />
            <NumberField label="Memory limit" unit="MB" bounds={SETTINGS_BOUNDS.memoryLimitMb} value={settings.memoryLimitMb} onChange={(v) => v !== null && controller.updateSettings({ memoryLimitMb: v })} />
            <NumberField label="CPU limit" unit="ms" bounds={SETTINGS_BOUNDS.cpuLimitMs} value={settings.cpuLimitMs} allowEmpty onChange={(v) => controller.updateSettings({ cpuLimitMs: v })} />
            <label className="field row">
              <span>Theme</span>
              <select aria-label="Theme" value={settings.theme} onChange={(e) => controller.updateSettings({ theme: e.target.value as 'system' | 'light' | 'dark' })}>
                <option value="system">Follow the OS</option>
                <option value="light">Light</option>
                <option value="dark">Dark</option>
              </select>
            </label>
          </>
        )}
      </Popover>
      <label className="field btn" title="Run in the isolate's long-lived context: faster, and globals persist between runs">
        <input type="checkbox" checked={settings.reuseContext} onChange={(e) => controller.updateSettings({ reuseContext: e.target.checked })} />
        Reuse context
      </label>
      <div className="spacer" />
      <Popover label="Examples" button="Examples ▾" align="right" role="menu">
        {(close) =>
          EXAMPLES.map((example) => (
            <button
              key={example.file}
              type="button"
              role="menuitem"
              aria-label={example.title}
              onClick={() => {
                close();
                void openExample(example.file, example.content);
              }}
            >
              <span>{example.title}</span>
              <span className="hint">{example.summary}</span>
            </button>
          ))
        }
      </Popover>
    </header>
  );
}
