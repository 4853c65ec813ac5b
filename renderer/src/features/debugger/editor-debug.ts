/**
 * What the debugger and the profiler draw in the editor: breakpoints in the glyph margin (click or
 * F9 to toggle; they move with the text above them), the paused line, hovers that show a value
 * while paused, each line's self time from the last CPU profile, and the lines other panels ask
 * to show (a call-stack frame, a wait, a profiled function). EditorPane calls this once.
 */
import type { Controller } from '../../app/controller.ts';
import { monaco } from '../editor/monaco.ts';
import { monacoKeybindings } from '../editor/keybindings.ts';
import { formatDuration } from '../../../../engine/common/units.ts';
import { lineSelfTimes } from '../profile/profile-model.ts';
import type { Breakpoint } from './breakpoints.ts';
import { describe as describeRemote } from './remote-value.ts';

type Editor = monaco.editor.IStandaloneCodeEditor;

function breakpointDecoration(bp: Breakpoint): monaco.editor.IModelDeltaDecoration {
  const kind = bp.logMessage !== undefined ? 'isolab-logpoint' : bp.condition ? 'isolab-bp-conditional' : 'isolab-bp';
  const hover = bp.logMessage !== undefined ? `Logpoint: \`${bp.logMessage}\`` : bp.condition ? `Breakpoint if \`${bp.condition}\`` : 'Breakpoint';
  return {
    range: new monaco.Range(bp.line, 1, bp.line, 1),
    options: { glyphMarginClassName: kind, glyphMarginHoverMessage: { value: hover }, stickiness: monaco.editor.TrackedRangeStickiness.NeverGrowsWhenTypingAtEdges },
  };
}

/** Heat of a line's self time against the hottest line: 0 (cool) to 3 (hottest). */
export function heat(us: number, maxUs: number): number {
  return maxUs <= 0 ? 0 : Math.min(3, Math.floor((us / maxUs) * 4));
}

export function attachDebugging(editor: Editor, controller: Controller): monaco.IDisposable {
  const { breakpoints, debugger: dbg, workspace } = controller;
  const active = () => workspace.activeName();
  let bpIds: string[] = [];
  let shown: readonly Breakpoint[] = [];
  const paused = editor.createDecorationsCollection();
  const profileLines = editor.createDecorationsCollection();
  let measuredPause = false;

  const drawBreakpoints = () => {
    const model = editor.getModel();
    const name = active();
    shown = name ? breakpoints.of(name).filter((bp) => model && bp.line <= model.getLineCount()) : [];
    bpIds = model ? model.deltaDecorations(bpIds, shown.map(breakpointDecoration)) : [];
  };

  /** Typing above a breakpoint moves its decoration; the breakpoint follows it. */
  const followEdits = () => {
    const model = editor.getModel();
    const name = active();
    if (!model || !name || bpIds.length !== shown.length) return;
    const moves = new Map<number, number>();
    bpIds.forEach((id, i) => {
      const line = model.getDecorationRange(id)?.startLineNumber;
      if (line !== undefined && line !== shown[i]!.line) moves.set(shown[i]!.line, line);
    });
    if (moves.size > 0) breakpoints.moveAll(name, moves);
  };

  const toggleAtCursor = () => {
    const name = active();
    const line = editor.getPosition()?.lineNumber;
    if (name && line) breakpoints.toggle(name, line);
  };
  controller.menuHandlers.toggleBreakpoint = toggleAtCursor;

  const drawPaused = () => {
    const { status, frames, selected, script } = dbg.store.get();
    const frame = frames[selected];
    if (status !== 'paused' || !frame?.own || script !== active()) return paused.clear();
    const top = selected === 0 || frames.slice(0, selected).every((f) => !f.own);
    paused.set([
      {
        range: new monaco.Range(frame.line, 1, frame.line, 1),
        options: { isWholeLine: true, className: top ? 'isolab-paused-line' : 'isolab-frame-line', glyphMarginClassName: top ? 'isolab-paused-glyph' : 'isolab-frame-glyph' },
      },
    ]);
    editor.revealLineInCenterIfOutsideViewport(frame.line);
    if (!measuredPause && controller.debugClickedAt !== null) {
      measuredPause = true;
      const pressed = controller.debugClickedAt;
      controller.debugClickedAt = null;
      requestAnimationFrame(() => performance.measure('isolab:debug-to-pause', { start: pressed, end: performance.now() }));
    }
  };

  const drawProfile = () => {
    const session = controller.runs.get().current;
    const profile = session?.result?.cpuProfile;
    const model = editor.getModel();
    if (!profile || !session || session.script !== active() || !model) return profileLines.clear();
    const lines = lineSelfTimes(profile, session.script);
    const max = Math.max(0, ...lines.values());
    profileLines.set(
      [...lines]
        .filter(([line, us]) => line <= model.getLineCount() && us >= 1)
        .map(([line, us]) => ({
          // At the line's end, where the injected time goes.
          range: new monaco.Range(line, model.getLineMaxColumn(line), line, model.getLineMaxColumn(line)),
          options: {
            isWholeLine: true,
            linesDecorationsClassName: `isolab-heat isolab-heat-${heat(us, max)}`,
            hoverMessage: { value: `Self time on this line: **${formatDuration(us / 1000)}**` },
            after: { content: `  ${formatDuration(us / 1000)}`, inlineClassName: 'isolab-profile-time' },
          },
        })),
    );
  };

  const reveal = () => {
    const target = controller.ui.get().reveal;
    if (!target || target.script !== active()) return;
    const model = editor.getModel();
    if (!model) return;
    const line = Math.min(target.line, model.getLineCount());
    editor.revealLineInCenter(line);
    editor.setSelection(new monaco.Range(line, 1, line, model.getLineMaxColumn(line)));
    editor.focus();
  };

  const redraw = () => {
    drawBreakpoints();
    drawPaused();
    drawProfile();
  };

  const subscriptions = [
    breakpoints.store.subscribe(() => {
      drawBreakpoints();
      const { status, script } = dbg.store.get();
      if (status !== 'idle' && script) void dbg.setBreakpoints(breakpoints.of(script));
    }),
    dbg.store.subscribe(() => {
      if (dbg.store.get().status === 'running') measuredPause = false;
      drawPaused();
    }),
    controller.runs.subscribe(drawProfile),
    controller.ui.subscribe(reveal),
    workspace.store.subscribe(() => queueMicrotask(redraw)),
  ];

  const disposables: monaco.IDisposable[] = [
    editor.onDidChangeModel(redraw),
    editor.onDidChangeModelContent(followEdits),
    editor.onMouseDown((e) => {
      const type = e.target.type;
      if (type !== monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN && type !== monaco.editor.MouseTargetType.GUTTER_LINE_NUMBERS) return;
      const name = active();
      const line = e.target.position?.lineNumber;
      if (name && line) breakpoints.toggle(name, line);
    }),
    editor.addAction({ id: 'isolab.toggleBreakpoint', label: 'Toggle Breakpoint', keybindings: monacoKeybindings('toggleBreakpoint', monaco), run: toggleAtCursor }),
    editor.addAction({ id: 'isolab.debug', label: 'Debug Script / Continue', keybindings: monacoKeybindings('debug', monaco), run: () => controller.debugOrContinue() }),
    editor.addAction({ id: 'isolab.stepOver', label: 'Step Over', keybindings: monacoKeybindings('stepOver', monaco), run: () => void dbg.stepOver() }),
    editor.addAction({ id: 'isolab.stepInto', label: 'Step Into', keybindings: monacoKeybindings('stepInto', monaco), run: () => void dbg.stepInto() }),
    editor.addAction({ id: 'isolab.stepOut', label: 'Step Out', keybindings: monacoKeybindings('stepOut', monaco), run: () => void dbg.stepOut() }),
    editor.addAction({ id: 'isolab.profileCpu', label: 'Profile CPU', keybindings: monacoKeybindings('profileCpu', monaco), run: () => void controller.run(undefined, 'profile') }),
    ...['javascript', 'typescript'].map((language) =>
      monaco.languages.registerHoverProvider(language, {
        provideHover: async (model, position) => {
          const { status, script } = dbg.store.get();
          if (status !== 'paused' || model !== editor.getModel() || script !== active()) return null;
          const word = model.getWordAtPosition(position);
          if (!word) return null;
          const evaluated = await dbg.evaluate(word.word, { sideEffectFree: true });
          if (!evaluated.value) return null;
          return {
            range: new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn),
            contents: [{ value: `\`${word.word}\`: \`${describeRemote(evaluated.value).slice(0, 200)}\`` }],
          };
        },
      }),
    ),
  ];
  redraw();

  return {
    dispose() {
      for (const off of subscriptions) off();
      for (const d of disposables) d.dispose();
      if (controller.menuHandlers.toggleBreakpoint === toggleAtCursor) delete controller.menuHandlers.toggleBreakpoint;
    },
  };
}
