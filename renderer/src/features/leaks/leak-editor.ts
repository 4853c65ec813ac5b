/**
 * What the leak explanation puts in the editor: a gutter mark on each user line whose allocations
 * were still alive (and each closure or timer a group names), with its bytes per run on hover;
 * and the jump to a line clicked in the Leaks panel. Kept out of EditorPane (which only attaches
 * it) so the editor's own decorations and these do not step on each other.
 */
import type { LeakReport } from '../../../../engine/common/leak.ts';
import { formatBytes } from '../../../../engine/common/units.ts';
import type { Controller } from '../../app/controller.ts';
import type { monaco as Monaco } from '../editor/monaco.ts';

type Editor = Monaco.editor.IStandaloneCodeEditor;

export interface GutterMark {
  line: number;
  text: string;
}

/** One mark per line: allocation sites by bytes, then the lines groups name (closures, timers). */
export function leakGutterMarks(report: LeakReport | undefined): GutterMark[] {
  const explanation = report?.explanation;
  if (!explanation) return [];
  const marks = new Map<number, string[]>();
  const add = (line: number, text: string) => marks.set(line, [...(marks.get(line) ?? []), text]);
  const runs = explanation.iterationsBetweenSnapshots;
  for (const site of explanation.allocationSites) {
    add(site.line, `${site.functionName === '(top level)' ? 'top-level code' : (site.functionName ?? 'this function')} allocated ${formatBytes(site.bytes / runs)} per run still alive`);
  }
  for (const group of explanation.groups) {
    if (group.line === undefined) continue;
    const what = group.kind === 'closure' ? 'closures made here' : `${group.name} made here`;
    add(group.line, `${what}: ${Math.round(group.countPerIteration * 10) / 10} per run${group.bytesPerIteration > 0 ? `, ${formatBytes(group.bytesPerIteration)} per run` : ''}`);
  }
  return [...marks.entries()].sort((a, b) => a[0] - b[0]).map(([line, texts]) => ({ line, text: texts.join('\n\n') }));
}

export function attachLeakEditor(editor: Editor, monaco: typeof Monaco, controller: Controller): () => void {
  const gutter = editor.createDecorationsCollection([]);
  let shown: LeakReport | undefined;
  const paint = () => {
    const session = controller.runs.get().current;
    const report = session?.kind === 'leak' && !session.running && editor.getModel() && session.script === controller.workspace.activeName() ? session.leak : undefined;
    if (report === shown && gutter.length > 0 === Boolean(report?.explanation)) return;
    shown = report;
    const model = editor.getModel();
    const lines = model?.getLineCount() ?? 0;
    gutter.set(
      leakGutterMarks(report)
        .filter((m) => m.line <= lines)
        .map((m) => ({
          range: new monaco.Range(m.line, 1, m.line, 1),
          options: { glyphMarginClassName: 'isolab-leak-glyph', glyphMarginHoverMessage: { value: m.text } },
        })),
    );
  };
  let lastSeq = 0;
  const reveal = () => {
    const request = controller.reveal.get().request;
    if (!request || request.seq === lastSeq || controller.workspace.activeName() !== request.script) return;
    lastSeq = request.seq;
    editor.setPosition({ lineNumber: request.line, column: request.column });
    editor.revealLineInCenter(request.line);
    editor.focus();
  };
  const unsubRuns = controller.runs.subscribe(paint);
  const unsubReveal = controller.reveal.subscribe(reveal);
  // The script to show may only now become the editor's model (a click on another script's line).
  const modelChange = editor.onDidChangeModel(() => {
    shown = undefined;
    paint();
    reveal();
  });
  return () => {
    unsubRuns();
    unsubReveal();
    modelChange.dispose();
    gutter.clear();
  };
}
