/**
 * Inline values and coverage on the script editor, through Monaco's own decorations: text after
 * the line (`after` injected text) and a bar beside the line numbers (`linesDecorationsClassName`,
 * not the glyph margin, which belongs to errors and breakpoints). Hovering a value shows its whole
 * tree with the result panel's ValueTree. It finds the editor through Monaco (getEditors /
 * onDidCreateEditor) and feeds Live mode the editor's edits, so the editor pane itself is not
 * touched.
 */
import { useEffect, useRef, useState } from 'react';
import type { InlineValue } from '../../../../engine/common/contract.ts';
import { useController } from '../../app/context.ts';
import { monaco } from '../editor/monaco.ts';
import { ValueNode } from '../result/ValueTree.tsx';
import { coverageLines, lineValues } from './inline.ts';
import type { LiveMode } from './live-mode.ts';
import './live.css';

const WORKSPACE_PREFIX = '/workspace/';
const HIDE_DELAY_MS = 200;

interface Hover {
  x: number;
  y: number;
  line: number;
  values: InlineValue[];
}

type Editor = monaco.editor.ICodeEditor;

function scriptOf(model: monaco.editor.ITextModel | null): string | null {
  const path = model?.uri.path ?? '';
  return path.startsWith(WORKSPACE_PREFIX) ? path.slice(WORKSPACE_PREFIX.length) : null;
}

function decorationsFor(live: LiveMode, model: monaco.editor.ITextModel): { decorations: monaco.editor.IModelDeltaDecoration[]; byLine: Map<number, InlineValue[]> } {
  const name = scriptOf(model)!;
  const { shown, running } = live.store.get();
  const result = shown[name]?.result;
  const lineCount = model.getLineCount();
  const stale = running.includes(name) ? ' isolab-live-stale' : '';
  const decorations: monaco.editor.IModelDeltaDecoration[] = [];
  const byLine = new Map<number, InlineValue[]>();
  for (const entry of lineValues(result, lineCount)) {
    const end = model.getLineMaxColumn(entry.line);
    byLine.set(entry.line, entry.values);
    decorations.push({
      range: new monaco.Range(entry.line, end, entry.line, end),
      options: {
        showIfCollapsed: true,
        after: { content: entry.text, inlineClassName: `isolab-live-value${entry.error ? ' isolab-live-error' : ''}${stale}`, cursorStops: monaco.editor.InjectedTextCursorStops.None },
      },
    });
  }
  const coverage = coverageLines(result?.coverage, lineCount);
  for (const line of coverage.run) decorations.push({ range: new monaco.Range(line, 1, line, 1), options: { isWholeLine: true, linesDecorationsClassName: 'isolab-cov-run' } });
  for (const line of coverage.missed) {
    decorations.push({
      range: new monaco.Range(line, 1, line, model.getLineMaxColumn(line)),
      options: { linesDecorationsClassName: 'isolab-cov-missed', inlineClassName: 'isolab-cov-dim' },
    });
  }
  return { decorations, byLine };
}

/** Marks keystroke-to-values once per live run, when the frame with its values is painted. */
function measurePaint(live: LiveMode, name: string, measured: Set<string>): void {
  const shown = live.store.get().shown[name];
  if (!shown?.live || shown.editedAt === undefined || measured.has(shown.runId)) return;
  measured.add(shown.runId);
  const start = shown.editedAt;
  requestAnimationFrame(() => {
    const ms = performance.now() - start;
    performance.measure('isolab:live-values', { start, duration: ms });
    document.documentElement.dataset.liveValuesMs = ms.toFixed(1);
  });
}

function attach(editor: Editor, live: LiveMode, setHover: (h: Hover | null) => void, hideSoon: () => void): monaco.IDisposable[] {
  const collection = editor.createDecorationsCollection();
  const measured = new Set<string>();
  let byLine = new Map<number, InlineValue[]>();
  const render = () => {
    const model = editor.getModel();
    const name = scriptOf(model);
    if (!model || !name) return collection.clear();
    const next = decorationsFor(live, model);
    byLine = next.byLine;
    collection.set(next.decorations);
    measurePaint(live, name, measured);
  };
  // A live tab shown with nothing recorded yet (just opened, after a reload) runs once.
  const showModel = () => {
    const model = editor.getModel();
    const name = scriptOf(model);
    if (model && name && live.isOn(name) && !live.store.get().shown[name]) live.edited(name, model.getValue());
    render();
  };
  const unsubscribe = live.store.subscribe(render);
  showModel();
  return [
    { dispose: unsubscribe },
    { dispose: () => collection.clear() },
    editor.onDidChangeModel(showModel),
    editor.onDidChangeModelContent(() => {
      const model = editor.getModel();
      const name = scriptOf(model);
      if (model && name) live.edited(name, model.getValue());
    }),
    editor.onMouseMove((e) => {
      const element = e.target.element;
      const line = e.target.position?.lineNumber;
      if (element?.classList.contains('isolab-live-value') && line !== undefined && byLine.has(line)) {
        setHover({ x: e.event.browserEvent.clientX, y: e.event.browserEvent.clientY, line, values: byLine.get(line)! });
      } else hideSoon();
    }),
    editor.onMouseLeave(() => hideSoon()),
  ];
}

export function LiveLayer() {
  const controller = useController();
  const [hover, setHover] = useState<Hover | null>(null);
  const hideTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const keep = (h: Hover | null) => {
      if (hideTimer.current) clearTimeout(hideTimer.current);
      hideTimer.current = null;
      setHover(h);
    };
    const hideSoon = () => {
      if (hideTimer.current) return;
      hideTimer.current = setTimeout(() => {
        hideTimer.current = null;
        setHover(null);
      }, HIDE_DELAY_MS);
    };
    let disposables: monaco.IDisposable[] = [];
    let attached: Editor | null = null;
    const tryAttach = (editor: Editor) => {
      // Only the script editor (Monaco may create others, e.g. for diffs).
      if (attached || !editor.getContainerDomNode().closest('[data-testid="editor"]')) return;
      attached = editor;
      disposables = attach(editor, controller.live, keep, hideSoon);
      const gone = editor.onDidDispose(() => {
        for (const d of disposables) d.dispose();
        gone.dispose();
        disposables = [];
        attached = null;
      });
    };
    for (const editor of monaco.editor.getEditors()) tryAttach(editor);
    const created = monaco.editor.onDidCreateEditor((editor) => queueMicrotask(() => tryAttach(editor)));
    return () => {
      created.dispose();
      for (const d of disposables) d.dispose();
      if (hideTimer.current) clearTimeout(hideTimer.current);
    };
  }, [controller]);

  if (!hover) return null;
  return (
    <div
      className="popover isolab-live-hover"
      role="tooltip"
      aria-label={`Values of line ${hover.line}`}
      style={{ left: Math.min(hover.x + 8, window.innerWidth - 540), top: hover.y + 14 }}
      onMouseEnter={() => {
        if (hideTimer.current) clearTimeout(hideTimer.current);
        hideTimer.current = null;
      }}
      onMouseLeave={() => setHover(null)}
    >
      {hover.values.map((v, i) => (
        <div key={i} className="tree">
          <span className="kind">{v.kind === 'log' ? 'console' : v.kind === 'error' ? 'error' : v.kind === 'probe' ? '//?' : 'value'}{v.count > 1 ? ` · ran ${v.count}×, last value` : ''}</span>
          {v.value !== undefined ? <ValueNode value={v.value} defaultOpen /> : <div>{v.preview}</div>}
        </div>
      ))}
    </div>
  );
}
