/**
 * Web mode runs arbitrary code for whoever can talk to it, so every request passes the same gate
 * as Jupyter's and code-server's: the Host header must name this server (DNS rebinding), a
 * present Origin must be our own (cross-site requests and WebSockets), and a 256-bit token must
 * come with it, as `Authorization: Bearer` or as the cookie set when the token URL is opened.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces } from 'node:os';

export function newToken(): string {
  return randomBytes(32).toString('hex');
}

export const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** Host header values (`name:port`) this server answers to. */
export function allowedHostHeaders(bindHost: string, port: number): Set<string> {
  const names = new Set(LOOPBACK_NAMES);
  if (!isLoopbackHost(bindHost)) {
    if (isWildcardHost(bindHost)) {
      for (const list of Object.values(networkInterfaces())) {
        for (const address of list ?? []) names.add(address.family === 'IPv6' ? `[${address.address}]` : address.address);
      }
    } else {
      names.add(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
    }
  }
  return new Set([...names].map((name) => `${name.toLowerCase()}:${port}`));
}

export function cookieName(port: number): string {
  // Cookies ignore ports, so two servers on one machine would overwrite each other's token.
  return `isolab_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

export function tokensEqual(given: string | undefined | null, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type GateVerdict =
  | { ok: true }
  | { ok: false; status: 401 | 403; message: string };

export interface Gate {
  readonly token: string;
  readonly port: number;
  /** Host and Origin: 403 when either names somebody else. */
  checkSite(headers: IncomingHttpHeaders): GateVerdict;
  /** Token from the Authorization header or our cookie: 401 without it. */
  checkToken(headers: IncomingHttpHeaders): GateVerdict;
  check(headers: IncomingHttpHeaders): GateVerdict;
}

export function createGate(options: { token: string; bindHost: string; port: number }): Gate {
  const hosts = allowedHostHeaders(options.bindHost, options.port);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  const gate: Gate = {
    token: options.token,
    port: options.port,
    checkSite(headers) {
      const host = headers.host?.toLowerCase();
      if (!host || !hosts.has(host)) return { ok: false, status: 403, message: `Host ${JSON.stringify(headers.host ?? '')} is not this server` };
      const origin = headers.origin;
      if (origin !== undefined && !origins.has(origin.toLowerCase())) {
        return { ok: false, status: 403, message: `Origin ${JSON.stringify(origin)} is not allowed` };
      }
      return { ok: true };
    },
    checkToken(headers) {
      const auth = headers.authorization;
      if (auth !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(auth);
        return match && tokensEqual(match[1], options.token)
          ? { ok: true }
          : { ok: false, status: 401, message: 'wrong token' };
      }
      const cookie = readCookie(headers.cookie, cookieName(options.port));
      if (cookie === undefined) return { ok: false, status: 401, message: 'a token is required: open the URL Isolab printed, or send Authorization: Bearer <token>' };
      return tokensEqual(cookie, options.token) ? { ok: true } : { ok: false, status: 401, message: 'wrong token' };
    },
    check(headers) {
      const site = gate.checkSite(headers);
      return site.ok ? gate.checkToken(headers) : site;
    },
  };
  return gate;
}
