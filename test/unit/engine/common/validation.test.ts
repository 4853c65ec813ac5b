import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { strictObject } from '../../../../engine/common/contract.ts';
import { unknownFieldsError, validationMessage } from '../../../../engine/common/validation.ts';

const Thing = z.object({ code: z.string(), limits: z.object({ timeoutMs: z.number().min(1) }) });

function errorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a failure');
  return parsed.error;
}

describe('validationMessage', () => {
  it('names each issue by its path, on one line', () => {
    const message = validationMessage(errorOf(Thing, { code: 1, limits: { timeoutMs: 0 } }));
    expect(message).toMatch(/^code: .*expected string.*; limits\.timeoutMs: .*>=1/);
    expect(message).not.toContain('\n');
  });

  it('calls the value itself by the name given, or leaves the path out', () => {
    expect(validationMessage(errorOf(Thing, 42), { whole: 'payload' })).toMatch(/^payload: .*expected object/);
    expect(validationMessage(errorOf(z.string().min(3, 'too short'), 'ab'))).toBe('too short');
  });

  it('lists at most `max` issues and counts the rest', () => {
    const Many = z.object({ a: z.string(), b: z.string(), c: z.string() });
    expect(validationMessage(errorOf(Many, {}), { max: 2 })).toMatch(/^a: .*; b: .*; 1 more$/);
  });

  it('copes with symbol keys in a path', () => {
    const key = Symbol('k');
    expect(validationMessage({ issues: [{ code: 'custom', path: [key, 0], message: 'bad', input: null }] })).toBe('Symbol(k).0: bad');
  });
});

describe('unknown fields (the contract strict objects, strictObject)', () => {
  const Request = strictObject({ code: z.string(), timeoutMs: z.number().optional(), stream: strictObject({ logs: z.boolean().optional() }).optional() });

  it('names every unknown field and the declared field it most likely meant', () => {
    expect(validationMessage(errorOf(Request, { code: 'x', timeoutMS: 5 }), { whole: 'body' })).toBe('body: unknown field "timeoutMS" (did you mean "timeoutMs"?)');
    expect(validationMessage(errorOf(Request, { code: 'x', stream: { log: true } }))).toBe('stream: unknown field "log" (did you mean "logs"?)');
    expect(validationMessage(errorOf(Request, { code: 'x', frobnicate: 1, zz: 2 }))).toBe('unknown fields "frobnicate", "zz"');
  });

  it('keeps the rule and the suggestions through extend, omit and partial', () => {
    const Extended = Request.extend({ name: z.string() });
    expect(validationMessage(errorOf(Extended, { code: 'x', name: 'f', nmae: 'g' }))).toBe('unknown field "nmae" (did you mean "name"?)');
    expect(validationMessage(errorOf(Request.omit({ timeoutMs: true }), { code: 'x', timeoutMs: 1 }))).toBe('unknown field "timeoutMs"');
    expect(validationMessage(errorOf(Request.partial(), { cdoe: 'x' }))).toBe('unknown field "cdoe" (did you mean "code"?)');
  });

  it('leaves other issues with zod’s own message', () => {
    expect(unknownFieldsError({ code: 'invalid_type', expected: 'string', input: 1, path: [] } as never)).toBeUndefined();
  });
});
