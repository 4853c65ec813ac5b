export function findElectron(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): { ok: true; binary: string } | { ok: false; kind: 'missing' | 'no-display'; reason: string };
