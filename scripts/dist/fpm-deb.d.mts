export interface FpmOptions {
  depends: string[];
  recommends: string[];
  suggests: string[];
  mappings: { from: string; to: string }[];
  [option: string]: unknown;
}
export function parseFpmArgs(argv: string[]): FpmOptions;
export function controlFile(options: FpmOptions, installedSizeKb: number): string;
export function buildDeb(options: FpmOptions): void;
