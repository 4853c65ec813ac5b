/** The window: toolbar, editor with tabs on the left, run output on the right, status bar below. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useController } from './context.ts';
import { Panels } from './Panels.tsx';
import { StatusBar } from './StatusBar.tsx';
import { useStore } from '../state/store.ts';
import { EditorPane } from '../features/editor/EditorPane.tsx';
import { TabBar } from '../features/editor/TabBar.tsx';
import { Toolbar } from '../features/run/Toolbar.tsx';
import { ArchiveDialog } from '../features/archive/ArchiveDialog.tsx';
import { LiveLayer } from '../features/live/LiveLayer.tsx';
import { useResolvedTheme } from '../ui/theme.ts';
import { shortcutOf } from '../../../engine/common/shortcuts.ts';

const SPLIT_KEY = 'isolab:split';

/** The shortcut table's page actions, wherever the focus is outside the editor (which binds them itself). */
const WINDOW_SHORTCUTS = ['run', 'debug', 'stepOver', 'stepInto', 'stepOut', 'toggleBreakpoint', 'profileCpu', 'stop', 'profileLeaks', 'save'] as const;

function useGlobalShortcuts() {
  const controller = useController();
  useEffect(() => {
    const actions: Record<(typeof WINDOW_SHORTCUTS)[number], () => void> = {
      run: () => {
        controller.runClickedAt = performance.now();
        void controller.run();
      },
      debug: () => controller.debugOrContinue(),
      stepOver: () => void controller.debugger.stepOver(),
      stepInto: () => void controller.debugger.stepInto(),
      stepOut: () => void controller.debugger.stepOut(),
      toggleBreakpoint: () => controller.menuHandlers.toggleBreakpoint?.(),
      profileCpu: () => void controller.run(undefined, 'profile'),
      stop: () => void controller.stop(),
      profileLeaks: () => void controller.profileLeaks(),
      save: () => void controller.workspace.flushAll(),
    };
    const onKey = (e: KeyboardEvent) => {
      if ((e.target as HTMLElement | null)?.closest?.('.monaco-editor')) return;
      const action = shortcutOf(e, WINDOW_SHORTCUTS);
      if (!action) return;
      e.preventDefault();
      actions[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

function useSplit(): [number, (e: React.PointerEvent) => void, (e: React.KeyboardEvent) => void] {
  const [percent, setPercent] = useState(() => Number(localStorage.getItem(SPLIT_KEY)) || 56);
  useEffect(() => localStorage.setItem(SPLIT_KEY, String(Math.round(percent))), [percent]);
  const onPointerDown = useCallback((e: React.PointerEvent) => {
    const target = e.currentTarget as HTMLElement;
    const parent = target.parentElement!;
    target.setPointerCapture(e.pointerId);
    const move = (ev: PointerEvent) => {
      const rect = parent.getBoundingClientRect();
      setPercent(Math.min(80, Math.max(25, ((ev.clientX - rect.left) / rect.width) * 100)));
    };
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
  }, []);
  const onKeyDown = useCallback((e: React.KeyboardEvent) => {
    if (e.key === 'ArrowLeft') setPercent((p) => Math.max(25, p - 2));
    if (e.key === 'ArrowRight') setPercent((p) => Math.min(80, p + 2));
  }, []);
  return [percent, onPointerDown, onKeyDown];
}

export function App() {
  const controller = useController();
  const themeSetting = useStore(controller.settings, (s) => s.theme);
  const theme = useResolvedTheme(themeSetting);
  const loaded = useStore(controller.workspace.store, (s) => s.loaded);
  const [split, onSplitDown, onSplitKey] = useSplit();
  const workbench = useRef<HTMLDivElement>(null);
  useGlobalShortcuts();

  return (
    <div className="app">
      <Toolbar />
      <div className="workbench" ref={workbench} style={{ ['--editor-width' as string]: `${split}%` }}>
        <section className="editor-side" aria-label="Editor">
          <TabBar />
          <div style={{ position: 'relative', minHeight: 0 }}>
            {!loaded && <div className="editor-loading">Opening workspace…</div>}
            <EditorPane theme={theme} />
            <LiveLayer />
          </div>
        </section>
        <div
          className="splitter"
          role="separator"
          aria-orientation="vertical"
          aria-label="Resize editor and panels"
          aria-valuenow={Math.round(split)}
          aria-valuemin={25}
          aria-valuemax={80}
          tabIndex={0}
          onPointerDown={onSplitDown}
          onKeyDown={onSplitKey}
        />
        <Panels theme={theme} />
      </div>
      <StatusBar />
      <ArchiveDialog />
    </div>
  );
}
