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
});
