/** The parts of d3-flame-graph and d3-selection the Profile panel uses (neither ships types). */
declare module 'd3-flame-graph' {
  export interface FlameFrame<T> {
    data: T;
  }
  export interface FlameGraph<T> {
    (selection: unknown): void;
    width(size: number): FlameGraph<T>;
    cellHeight(size: number): FlameGraph<T>;
    minFrameSize(size: number): FlameGraph<T>;
    transitionDuration(ms: number): FlameGraph<T>;
    sort(enabled: boolean): FlameGraph<T>;
    selfValue(enabled: boolean): FlameGraph<T>;
    inverted(enabled: boolean): FlameGraph<T>;
    label(fn: (frame: FlameFrame<T> & { value: number }) => string): FlameGraph<T>;
    setColorHue(hue: string): FlameGraph<T>;
    onClick(fn: (frame: FlameFrame<T>) => void): FlameGraph<T>;
    resetZoom(): void;
    destroy(): void;
  }
  export default function flamegraph<T = unknown>(): FlameGraph<T>;
}

declare module 'd3-selection' {
  export interface Selection {
    datum(data: unknown): Selection;
    call(fn: (selection: Selection) => void): Selection;
  }
  export function select(element: Element): Selection;
}
