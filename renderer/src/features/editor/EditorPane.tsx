/**
 * The Monaco editor over the open tabs: one model per open script (so undo history and cursor
 * survive tab switches), text flowing to the Workspace on every change, the failed run's error
 * marked at its line and column, and the run shortcuts bound inside the editor.
 */
import { useEffect, useRef } from 'react';
import type { RunSession } from '../../state/session.ts';
import { useController } from '../../app/context.ts';
import { scriptOfError } from '../../app/controller.ts';
import { monacoKeybindings } from './keybindings.ts';
import { monaco, modelUri } from './monaco.ts';
import { languageOf } from '../../../../engine/common/script-files.ts';
import { attachLeakEditor } from '../leaks/leak-editor.ts';
import { attachDebugging } from '../debugger/editor-debug.ts';

const MARKER_OWNER = 'isolab-run';

export function EditorPane({ theme }: { theme: 'light' | 'dark' }) {
  const controller = useController();
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);

  useEffect(() => {
    monaco.editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    const { workspace } = controller;
    const models = new Map<string, monaco.editor.ITextModel>();
    const viewStates = new Map<string, monaco.editor.ICodeEditorViewState | null>();
    const listeners = new Map<string, monaco.IDisposable>();
    let errorDecorations: monaco.editor.IEditorDecorationsCollection | null = null;
    let shownName: string | null = null;

    const editor = monaco.editor.create(host.current!, {
      model: null,
      automaticLayout: true,
      fontSize: 13,
      fontFamily: getComputedStyle(document.documentElement).getPropertyValue('--font-mono'),
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: 'on',
      tabSize: 2,
      renderLineHighlight: 'all',
      glyphMargin: true,
      fixedOverflowWidgets: true,
      'semanticHighlighting.enabled': true,
      padding: { top: 6 },
      ariaLabel: 'Script editor',
    });
    editorRef.current = editor;
    const detachLeaks = attachLeakEditor(editor, monaco, controller);

    const clearError = (model: monaco.editor.ITextModel) => {
      monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
      if (editor.getModel() === model) errorDecorations?.clear();
    };

    const ensureModel = (name: string): monaco.editor.ITextModel => {
      let model = models.get(name);
      if (model && !model.isDisposed()) return model;
      const uri = modelUri(name);
      model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(workspace.text(name), languageOf(name), uri);
      if (model.getValue() !== workspace.text(name)) model.setValue(workspace.text(name));
      models.set(name, model);
      const m = model;
      listeners.set(
        name,
        model.onDidChangeContent(() => {
          workspace.edit(name, m.getValue());
          clearError(m);
        }),
      );
      return model;
    };

    const sync = () => {
      const { open, active, loaded } = workspace.store.get();
      if (!loaded) return;
      for (const [name, model] of models) {
        if (!open.includes(name)) {
          listeners.get(name)?.dispose();
          listeners.delete(name);
          model.dispose();
          models.delete(name);
          viewStates.delete(name);
        }
      }
      for (const name of open) {
        const model = ensureModel(name);
        // Text replaced from outside the editor (examples, restored drafts, renames).
        if (model.getValue() !== workspace.text(name)) model.pushEditOperations([], [{ range: model.getFullModelRange(), text: workspace.text(name) }], () => null);
      }
      if (active !== shownName) {
        if (shownName && models.has(shownName)) viewStates.set(shownName, editor.saveViewState());
        shownName = active;
        editor.setModel(active ? ensureModel(active) : null);
        const state = active ? viewStates.get(active) : null;
        if (state) editor.restoreViewState(state);
        showError(controller.runs.get().current);
        if (active) editor.focus();
        if (!host.current?.dataset.ready && active) {
          host.current!.dataset.ready = 'true';
          performance.mark('isolab:editor-ready');
        }
      }
    };

    const showError = (session: RunSession | null) => {
      errorDecorations?.clear();
      const error = session?.result?.error ?? session?.leak?.stoppedBy;
      if (!session || session.running || !error?.line) return;
      // An error in an imported workspace file is marked in that file (when its tab is open).
      const file = error.file === undefined ? session.script : scriptOfError(error.file);
      const model = file ? models.get(file) : undefined;
      if (!model || model.isDisposed()) return;
      const line = Math.min(error.line, model.getLineCount());
      const column = Math.max(1, Math.min(error.column ?? 1, model.getLineMaxColumn(line)));
      const word = model.getWordAtPosition({ lineNumber: line, column });
      const endColumn = word && word.startColumn <= column ? word.endColumn : model.getLineMaxColumn(line);
      monaco.editor.setModelMarkers(model, MARKER_OWNER, [
        {
          severity: monaco.MarkerSeverity.Error,
          message: `${error.type}: ${error.message}`,
          startLineNumber: line,
          startColumn: word ? word.startColumn : column,
          endLineNumber: line,
          endColumn: Math.max(endColumn, column + 1),
          source: 'run',
        },
      ]);
      if (editor.getModel() === model) {
        errorDecorations = editor.createDecorationsCollection([
          {
            range: new monaco.Range(line, 1, line, 1),
            options: {
              isWholeLine: true,
              className: 'isolab-error-line',
              glyphMarginClassName: 'isolab-error-glyph',
              glyphMarginHoverMessage: { value: `**${error.type}**: ${error.message}` },
            },
          },
        ]);
        editor.revealLineInCenterIfOutsideViewport(line);
      }
    };

    let lastSession: RunSession | null = null;
    const onRuns = () => {
      const session = controller.runs.get().current;
      if (session === lastSession) return;
      const finishedNow = lastSession?.runId === session?.runId ? lastSession?.running && !session?.running : session && !session.running;
      if (session?.running && lastSession?.runId !== session.runId) {
        for (const model of models.values()) monaco.editor.setModelMarkers(model, MARKER_OWNER, []);
        errorDecorations?.clear();
      }
      lastSession = session;
      if (finishedNow) showError(session);
    };

    editor.addAction({
      id: 'isolab.run',
      label: 'Run Script',
      keybindings: monacoKeybindings('run', monaco),
      run: () => {
        controller.runClickedAt = performance.now();
        void controller.run();
      },
    });
    editor.addAction({
      id: 'isolab.stop',
      label: 'Stop Run',
      keybindings: monacoKeybindings('stop', monaco),
      run: () => void controller.stop(),
    });
    editor.addAction({
      id: 'isolab.leaks',
      label: 'Profile Leaks',
      keybindings: monacoKeybindings('profileLeaks', monaco),
      run: () => void controller.profileLeaks(),
    });
    editor.addAction({
      id: 'isolab.save',
      label: 'Save Script',
      keybindings: monacoKeybindings('save', monaco),
      run: () => {
        const name = workspace.activeName();
        if (name) void workspace.flush(name);
      },
    });

    // In the command palette (F1) too; the application menu and the toolbar have them as well.
    editor.addAction({ id: 'isolab.exportWorkspace', label: 'Export Workspace…', run: () => void controller.archive.exportWorkspace() });
    editor.addAction({ id: 'isolab.importWorkspace', label: 'Import Workspace…', run: () => void controller.archive.importWorkspace() });

    const unsubWorkspace = workspace.store.subscribe(sync);
    const unsubRuns = controller.runs.subscribe(onRuns);
    sync();
    const debugging = attachDebugging(editor, controller);
    const flushOnHide = () => {
      if (document.visibilityState === 'hidden') void workspace.flushAll();
    };
    document.addEventListener('visibilitychange', flushOnHide);

    return () => {
      document.removeEventListener('visibilitychange', flushOnHide);
      unsubWorkspace();
      unsubRuns();
      debugging.dispose();
      for (const l of listeners.values()) l.dispose();
      for (const model of models.values()) model.dispose();
      detachLeaks();
      editor.dispose();
      editorRef.current = null;
    };
  }, [controller]);

  return <div className="editor-host" ref={host} data-testid="editor" />;
}
