/** An encoded value as DevTools shows it: a summary line that expands into its properties. */
import { useState } from 'react';
import type { Encoded } from '../../../../engine/common/value.ts';
import { childrenOf, heading, leafKind, summary } from './value-model.ts';

const LEAF_CLASS = { string: 'str', number: 'num', boolean: 'kw', null: 'kw', special: 'special' } as const;

export function Leaf({ value }: { value: Encoded }) {
  const kind = leafKind(value) ?? 'special';
  return <span className={LEAF_CLASS[kind]}>{summary(value)}</span>;
}

export function ValueNode({ label, value, arrow, defaultOpen = false }: { label?: string; value: Encoded; arrow?: boolean; defaultOpen?: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  const children = leafKind(value) === null ? childrenOf(value) : [];
  const name = label === undefined ? null : (
    <>
      <span className="key">{label}</span>
      {arrow ? ' => ' : ': '}
    </>
  );
  if (children.length === 0) {
    return (
      <div className="node">
        {name}
        <Leaf value={value} />
      </div>
    );
  }
  return (
    <div className="node">
      <button
        type="button"
        className="toggle"
        aria-expanded={open}
        aria-label={`${open ? 'Collapse' : 'Expand'} ${label ?? heading(value)}`}
        onClick={() => setOpen(!open)}
      >
        {open ? '▾' : '▸'}
      </button>
      {name}
      <span className="special">{open ? heading(value) : summary(value)}</span>
      {open && (
        <ul>
          {children.map((child, i) => (
            <li key={i}>
              <ValueNode label={child.key} value={child.value} {...(child.arrow ? { arrow: true } : {})} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function ValueTree({ value, defaultOpen }: { value: Encoded; defaultOpen?: boolean }) {
  return (
    <div className="tree">
      <ValueNode value={value} {...(defaultOpen ? { defaultOpen } : {})} />
    </div>
  );
}
