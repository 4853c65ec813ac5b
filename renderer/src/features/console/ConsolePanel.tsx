/**
 * The run's console: virtualised (100,000 lines scroll as smoothly as 10), filterable by level and
 * text, following the tail while new lines arrive unless the user scrolled up.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogEntry, LogLevel } from '../../../../engine/common/contract.ts';
import { isTagged } from '../../../../engine/common/value.ts';
import { useController } from '../../app/context.ts';
import { useStore } from '../../state/store.ts';
import { formatDuration } from '../../../../engine/common/units.ts';
import { keyLabel } from '../../ui/keys.ts';
import { ValueNode } from '../result/ValueTree.tsx';
import { countByLevel, filterLogs, isTruncationMarker, LEVELS } from './filter.ts';

const ICON: Record<LogLevel, string> = { log: '›', info: 'ℹ', warn: '⚠', error: '✖', debug: '⚙' };
const LEVEL_NAME: Record<LogLevel, string> = { log: 'logs', info: 'info', warn: 'warnings', error: 'errors', debug: 'debug' };

function expandable(entry: LogEntry): boolean {
  return (entry.args ?? []).some((a) => a !== null && typeof a === 'object' && (Array.isArray(a) || !isTagged(a) || ['object', 'array', 'map', 'set', 'error', 'bytes'].includes(a.$isolab)));
}

function Row({ entry, truncated }: { entry: LogEntry; truncated: boolean }) {
  const marker = isTruncationMarker(entry, truncated);
  const rich = !marker && expandable(entry);
  return (
    <div className={`log-row ${entry.level} ${marker ? 'truncated' : ''}`} role="listitem" aria-label={`${entry.level}: ${entry.text}`}>
      <span className="icon" aria-hidden>
        {marker ? '✂' : ICON[entry.level]}
      </span>
      <span className="text">
        {rich ? (
          <span className="tree" style={{ display: 'flex', flexWrap: 'wrap', gap: '0 8px' }}>
            {entry.args!.map((arg, i) => (typeof arg === 'string' ? <span key={i}>{arg}</span> : <ValueNode key={i} value={arg} />))}
          </span>
        ) : (
          entry.text
        )}
      </span>
      <span className="time" title="time since the run started">
        +{formatDuration(entry.timeMs)}
      </span>
    </div>
  );
}

/**
 * `value`, but changing at most once per `ms` (immediately when `ms` is 0). The virtualizer
 * recomputes every row's position when the row count changes, so during a console flood the list
 * takes new lines a few times a second instead of every frame (measured with 100,000 lines: that
 * recomputation was two thirds of the page's busy time).
 */
function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const show = () => {
      last.current = performance.now();
      setShown(value);
    };
    const wait = ms === 0 ? 0 : last.current + ms - performance.now();
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return ms === 0 ? value : shown;
}

const STREAM_REFRESH_MS = 150;

/** While the debugger is paused, the console evaluates in the selected frame, as DevTools' does. */
function EvaluateLine() {
  const controller = useController();
  const paused = useStore(controller.debugger.store, (s) => s.status === 'paused');
  const frame = useStore(controller.debugger.store, (s) => s.frames[s.selected]?.functionName);
  const [text, setText] = useState('');
  if (!paused) return null;
  return (
    <form
      className="console-eval"
      onSubmit={(e) => {
        e.preventDefault();
        void controller.evaluateInConsole(text);
        setText('');
      }}
    >
      <span aria-hidden>›</span>
      <input className="mono" aria-label="Evaluate in the paused frame" placeholder={`Evaluate in ${frame ?? 'the paused frame'}`} value={text} onChange={(e) => setText(e.target.value)} />
    </form>
  );
}

export function ConsolePanel() {
  const controller = useController();
  const session = useStore(controller.runs, (s) => s.current);
  const [levels, setLevels] = useState<ReadonlySet<LogLevel>>(new Set(LEVELS));
  const [text, setText] = useState('');
  const [clearedAt, setClearedAt] = useState<{ runId: string; count: number } | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const lastScrollTop = useRef(0);

  const all = session?.logs ?? [];
  const start = clearedAt && clearedAt.runId === session?.runId ? clearedAt.count : 0;
  const version = useThrottled(session?.version ?? 0, session?.running ? STREAM_REFRESH_MS : 0);
  // The log array grows in place while a run streams, so the row count is taken here, with the rows.
  const [visible, count] = useMemo(() => {
    const rows = filterLogs(start ? all.slice(start) : all, levels, text);
    return [rows, rows.length] as const;
  }, [all, version, start, levels, text]); // eslint-disable-line react-hooks/exhaustive-deps
  const counts = useMemo(() => countByLevel(all), [all, version]); // eslint-disable-line react-hooks/exhaustive-deps
  const truncated = session?.result?.logsTruncated ?? false;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => 21,
    overscan: 20,
  });

  useEffect(() => {
    if (stick.current && count > 0) virtualizer.scrollToIndex(count - 1, { align: 'end' });
  }, [count, virtualizer]);

  useEffect(() => {
    stick.current = true;
    lastScrollTop.current = 0;
  }, [session?.runId]);

  const toggle = (level: LogLevel) => {
    const next = new Set(levels);
    if (next.has(level)) next.delete(level);
    else next.add(level);
    setLevels(next);
  };

  return (
    <div className="panel" style={{ overflow: 'hidden' }}>
      <div className="panel-bar">
        <input type="search" placeholder="Filter" aria-label="Filter console" value={text} onChange={(e) => setText(e.target.value)} style={{ width: 140, flex: '0 1 140px' }} />
        {LEVELS.map((level) => (
          <button
            key={level}
            type="button"
            className="btn"
            aria-pressed={levels.has(level)}
            aria-label={`Show ${LEVEL_NAME[level]}`}
            title={`Show ${LEVEL_NAME[level]}`}
            onClick={() => toggle(level)}
            style={{ height: 22, padding: '0 6px' }}
          >
            <span className={`log-row ${level}`} style={{ display: 'inline', padding: 0, background: 'none', border: 0 }} aria-hidden>
              {ICON[level]}
            </span>
            <span className="muted">{counts[level]}</span>
          </button>
        ))}
        <div style={{ flex: 1 }} />
        <span className="muted" aria-live="polite" title="lines shown">
          {count.toLocaleString()}
          {truncated ? ' (truncated)' : ''}
        </span>
        <button type="button" className="btn" aria-label="Clear console" title="Clear console" onClick={() => session && setClearedAt({ runId: session.runId, count: all.length })}>
          ⊘ Clear
        </button>
      </div>
      <div
        className="console-list"
        ref={scroller}
        role="list"
        aria-label="Console output"
        onScroll={(e) => {
          // Lines arrive thousands at a time, so by the time a scroll event is handled the list may
          // already be taller: distance to the bottom says nothing then. Only moving up means the
          // user wants to read back; reaching the bottom again resumes following.
          const el = e.currentTarget;
          if (el.scrollTop < lastScrollTop.current - 2) stick.current = false;
          if (el.scrollHeight - el.scrollTop - el.clientHeight < 30) stick.current = true;
          lastScrollTop.current = el.scrollTop;
        }}
      >
        {count === 0 ? (
          <div className="empty">{session ? (session.running ? 'Waiting for output…' : 'No console output.') : `Run a script (${keyLabel('run')}) to see its console here.`}</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => (
              <div key={item.key} data-index={item.index} ref={virtualizer.measureElement} style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${item.start}px)` }}>
                <Row entry={visible[item.index]!} truncated={truncated} />
              </div>
            ))}
          </div>
        )}
      </div>
      <EvaluateLine />
    </div>
  );
}
