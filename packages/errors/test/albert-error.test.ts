import { describe, expect, it } from 'vitest';
import { AlbertError, formatValue, oneLine } from '../src/index.js';

class SomeError extends AlbertError {
  override readonly name = 'SomeError';
}

describe('AlbertError', () => {
  it('is the common base: one-line message, field and value, subclass name', () => {
    const e = new SomeError('steps: 0 must be\n  an integer >= 1', { field: 'steps', value: 0 });
    expect(e).toBeInstanceOf(AlbertError);
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('SomeError');
    expect(e.message).toBe('steps: 0 must be an integer >= 1');
    expect(e.field).toBe('steps');
    expect(e.value).toBe(0);
    expect(new AlbertError('x').field).toBeUndefined();
    expect(new AlbertError('x', { cause: e }).cause).toBe(e);
  });

  it('formats values and collapses lines', () => {
    expect(formatValue('a')).toBe('"a"');
    expect(formatValue(3)).toBe('3');
    expect(formatValue({ a: 'x'.repeat(100) }).length).toBe(80);
    expect(oneLine('a\r\n  b\nc')).toBe('a b c');
  });

  it('formats hostile values (found by fuzzing) in bounded space and one line; caps messages', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 100_000; i++) deep = [deep]; // JSON.stringify and String() overflow the stack on this
    expect(formatValue(deep)).toBe('[[[[[[[[[...]]]]]]]]]');
    expect(formatValue('x'.repeat(10_000_000))).toHaveLength(80);
    expect(formatValue({ 'k\n': 'a\nb' })).toBe('{"k\\n":"a\\nb"}');
    expect(formatValue([1, 'two', null, true, undefined], 200)).toBe('[1,"two",null,true,undefined]');
    expect(new AlbertError(`value ${'v'.repeat(5000)}`).message).toHaveLength(500);
  });
});
