import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { fixturePath, readJsonFixture } from '@albert-ts/testing';
import {
  CheckpointError, parseSafetensorsHeader, readSafetensors, writeSafetensors,
} from '../src/index.js';

const ALBERT_FIXTURES = ['tiny_shared', 'tiny_groups', 'tiny_inner2'];
const HEAD_FIXTURES = ['sequence_classification', 'sequence_regression', 'token_classification',
  'question_answering', 'multiple_choice', 'masked_lm'];

interface FixtureJson {
  state_dict_keys: string[];
  tied_weights: Record<string, string>;
  param_count: number;
}

function fixtureFiles(): { dir: string; name: string }[] {
  return [
    ...ALBERT_FIXTURES.map((name) => ({ dir: 'hf-albert', name })),
    ...HEAD_FIXTURES.map((name) => ({ dir: 'hf-heads', name })),
  ];
}

function readFixtureBytes(dir: string, name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(fixturePath(dir, `${name}.safetensors`)));
}

/** Builds a safetensors file by hand: u64 LE header length, header text, data bytes. */
function rawFile(header: string | object, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const text = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(text.length), true);
  out.set(text, 8);
  out.set(data, 8 + text.length);
  return out;
}

function bytesOf(values: number[], width: 1 | 2 | 4 | 8, write: (v: DataView, off: number, x: number) => void) {
  const out = new Uint8Array(values.length * width);
  const view = new DataView(out.buffer);
  values.forEach((x, i) => write(view, i * width, x));
  return out;
}

function expectCheckpointError(bytes: Uint8Array, pattern: RegExp): void {
  let caught: unknown;
  try {
    readSafetensors(bytes);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(CheckpointError);
  const message = (caught as Error).message;
  expect(message).toMatch(pattern);
  expect(message).not.toContain('\n');
}

describe('readSafetensors on the HF fixtures', () => {
  for (const { dir, name } of fixtureFiles()) {
    it(`${dir}/${name}: names, shapes, unique parameter count and tied duplicates match the JSON`, () => {
      const json = readJsonFixture<FixtureJson>(dir, `${name}.json`);
      const tensors = readSafetensors(readFixtureBytes(dir, name));
      expect([...tensors.keys()]).toEqual([...json.state_dict_keys].sort());
      let unique = 0;
      for (const [key, t] of tensors) {
        expect(t.dtype).toBe('F32');
        expect(t.data.length).toBe(t.shape.reduce((a, b) => a * b, 1));
        if (!(key in json.tied_weights)) unique += t.data.length;
      }
      expect(unique).toBe(json.param_count);
      for (const [alias, target] of Object.entries(json.tied_weights)) {
        expect(tensors.get(alias)!.shape).toEqual(tensors.get(target)!.shape);
        expect(tensors.get(alias)!.data).toEqual(tensors.get(target)!.data);
      }
    });

    it(`${dir}/${name}: writing what was read reproduces the file byte for byte`, () => {
      const bytes = readFixtureBytes(dir, name);
      const header = parseSafetensorsHeader(bytes);
      expect(header.metadata).toEqual({ format: 'pt' });
      const written = writeSafetensors(readSafetensors(bytes), header.metadata);
      expect(Buffer.from(written).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('decodes values at the byte offsets the header states (little-endian float32)', () => {
    const bytes = readFixtureBytes('hf-albert', 'tiny_shared');
    // Independent decode: locate the tensor by scanning the raw header text.
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const m = /"albert\.pooler\.bias":\{"dtype":"F32","shape":\[(\d+)\],"data_offsets":\[(\d+),(\d+)\]\}/
      .exec(headerText)!;
    const [size, begin] = [Number(m[1]), Number(m[2])];
    const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n + begin, 4 * size);
    const expected = Array.from({ length: size }, (_, i) => view.getFloat32(4 * i, true));
    expect(Array.from(readSafetensors(bytes).get('albert.pooler.bias')!.data)).toEqual(expected);
    expect(expected.every((x) => x !== 0)).toBe(true); // the fixtures have no zero biases
  });

  it('hf-heads: the albert.* backbone weights are identical in all six files', () => {
    const files = HEAD_FIXTURES.map((name) => readSafetensors(readFixtureBytes('hf-heads', name)));
    const ref = files[0];
    for (const other of files.slice(1)) {
      for (const [key, t] of other) {
        if (!key.startsWith('albert.')) continue;
        expect(ref.get(key)?.data, key).toEqual(t.data);
      }
    }
  });
});

describe('readSafetensors dtypes', () => {
  it('upcasts F16 exactly, including subnormals, infinities, NaN and -0', () => {
    const bits = [0x3c00, 0xc000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0x8000, 0x3555];
    const data = bytesOf(bits, 2, (v, o, x) => v.setUint16(o, x, true));
    const t = readSafetensors(rawFile({ h: { dtype: 'F16', shape: [bits.length], data_offsets: [0, data.length] } },
      data)).get('h')!;
    expect(t.dtype).toBe('F16');
    expect(Array.from(t.data)).toEqual([1, -2, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, 65504, Infinity, -Infinity,
      NaN, -0, 0.333251953125]);
    expect(Object.is(t.data[9], -0)).toBe(true);
  });

  it('upcasts BF16 exactly', () => {
    const bits = [0x3f80, 0xc040, 0x4049, 0x0001, 0x7f80, 0xff80, 0x8000];
    const data = bytesOf(bits, 2, (v, o, x) => v.setUint16(o, x, true));
    const t = readSafetensors(rawFile({ b: { dtype: 'BF16', shape: [7], data_offsets: [0, 14] } }, data)).get('b')!;
    expect(Array.from(t.data)).toEqual([1, -3, 3.140625, 2 ** -133, Infinity, -Infinity, -0]);
  });

  it('reads F64 and the integer dtypes as float32', () => {
    const f64 = bytesOf([0.1, -2.5], 8, (v, o, x) => v.setFloat64(o, x, true));
    const i64 = bytesOf([-1, 2 ** 40 + 1], 8, (v, o, x) => v.setBigInt64(o, BigInt(x), true));
    const i32 = bytesOf([-7, 123456], 4, (v, o, x) => v.setInt32(o, x, true));
    const u8 = new Uint8Array([0, 255]);
    const bool = new Uint8Array([0, 1]);
    const data = new Uint8Array([...f64, ...i64, ...i32, ...u8, ...bool]);
    const file = rawFile({
      a_f64: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
      b_i64: { dtype: 'I64', shape: [2], data_offsets: [16, 32] },
      c_i32: { dtype: 'I32', shape: [1, 2], data_offsets: [32, 40] },
      d_u8: { dtype: 'U8', shape: [2], data_offsets: [40, 42] },
      e_bool: { dtype: 'BOOL', shape: [2], data_offsets: [42, 44] },
    }, data);
    const t = readSafetensors(file);
    expect(Array.from(t.get('a_f64')!.data)).toEqual([Math.fround(0.1), -2.5]);
    expect(Array.from(t.get('b_i64')!.data)).toEqual([-1, 2 ** 40]); // nearest float32
    expect(Array.from(t.get('c_i32')!.data)).toEqual([-7, 123456]);
    expect(t.get('c_i32')!.shape).toEqual([1, 2]);
    expect(Array.from(t.get('d_u8')!.data)).toEqual([0, 255]);
    expect(Array.from(t.get('e_bool')!.data)).toEqual([0, 1]);
  });

  it('accepts scalars, empty tensors and a null __metadata__', () => {
    const data = bytesOf([4.5], 4, (v, o, x) => v.setFloat32(o, x, true));
    const t = readSafetensors(rawFile({
      __metadata__: null,
      empty: { dtype: 'F32', shape: [0, 3], data_offsets: [0, 0] },
      scalar: { dtype: 'F32', shape: [], data_offsets: [0, 4] },
    }, data));
    expect(t.get('scalar')!.shape).toEqual([]);
    expect(Array.from(t.get('scalar')!.data)).toEqual([4.5]);
    expect(t.get('empty')!.data.length).toBe(0);
  });

  it('returns tensors sorted by name whatever the header order', () => {
    const data = new Uint8Array(8);
    const t = readSafetensors(rawFile({
      zeta: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
      alpha: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
    }, data));
    expect([...t.keys()]).toEqual(['alpha', 'zeta']);
  });
});

describe('readSafetensors on hostile files', () => {
  const f32 = (shape: number[], offsets: unknown) => ({ dtype: 'F32', shape, data_offsets: offsets });
  const eight = new Uint8Array(8);

  const cases: [string, () => Uint8Array, RegExp][] = [
    ['empty file', () => new Uint8Array(0), /0 bytes, too short/],
    ['file shorter than 8 bytes', () => new Uint8Array(5), /5 bytes, too short/],
    ['header length past the end of the file', () => rawFile({}, eight, 1000n), /header length 1000 runs past/],
    ['header length over 100 MB', () => rawFile({}, eight, 100_000_001n), /exceeds the 100000000-byte limit/],
    ['header length 2^64-1', () => rawFile({}, eight, 2n ** 64n - 1n), /exceeds the 100000000-byte limit/],
    ['truncated data section', () => rawFile({ a: f32([4], [0, 16]) }, eight), /out of range/],
    ['non-JSON header', () => rawFile('{"a": {', eight), /not valid JSON/],
    ['invalid UTF-8 header', () => rawFile('{"\xff"}', eight).map((b, i) => (i === 10 ? 0xff : b)),
      /not valid UTF-8/],
    ['array header', () => rawFile('[1, 2]'), /must be a JSON object, got an array/],
    ['null header', () => rawFile('null'), /must be a JSON object, got null/],
    ['number header', () => rawFile('42'), /must be a JSON object, got number 42/],
    ['entry not an object', () => rawFile({ a: 3 }), /tensor "a": entry must be an object/],
    ['unknown dtype', () => rawFile({ a: { dtype: 'Q4', shape: [2], data_offsets: [0, 8] } }, eight),
      /tensor "a": unknown dtype "Q4"/],
    ['unsupported float8 dtype', () => rawFile({ a: { dtype: 'F8_E4M3', shape: [8], data_offsets: [0, 8] } }, eight),
      /dtype F8_E4M3 is not supported/],
    ['missing dtype', () => rawFile({ a: { shape: [2], data_offsets: [0, 8] } }, eight), /dtype must be a string/],
    ['negative dimension', () => rawFile({ a: f32([-2], [0, 8]) }, eight), /negative or non-integer dimension/],
    ['fractional dimension', () => rawFile({ a: f32([1.5], [0, 8]) }, eight), /negative or non-integer dimension/],
    ['string dimension', () => rawFile({ a: f32(['2' as unknown as number], [0, 8]) }, eight),
      /negative or non-integer dimension/],
    ['shape not an array', () => rawFile({ a: { dtype: 'F32', shape: 2, data_offsets: [0, 8] } }, eight),
      /shape must be an array/],
    ['shape larger than the bytes', () => rawFile({ a: f32([3], [0, 8]) }, eight), /needs 12 bytes but .* span 8/],
    ['shape smaller than the bytes', () => rawFile({ a: f32([1], [0, 8]) }, eight), /needs 4 bytes but .* span 8/],
    ['astronomical shape (no allocation)', () => rawFile({ a: f32([1e15, 1e15, 1e15], [0, 8]) }, eight),
      /needs more than 8 bytes/],
    ['offsets out of range', () => rawFile({ a: f32([4], [0, 16]) }, eight), /\[0,16\] out of range .* 8 bytes/],
    ['offsets reversed', () => rawFile({ a: f32([1], [8, 4]) }, eight), /end before they begin/],
    ['negative offset', () => rawFile({ a: f32([1], [-4, 0]) }, eight), /two non-negative integers/],
    ['one offset', () => rawFile({ a: f32([1], [4]) }, eight), /two non-negative integers/],
    ['missing offsets', () => rawFile({ a: { dtype: 'F32', shape: [1] } }, eight), /two non-negative integers/],
    ['overlapping tensors', () => rawFile({ a: f32([2], [0, 8]), b: f32([1], [4, 8]) }, eight),
      /tensor "b" data_offsets \[4,8\] overlap tensor "a"/],
    ['identical ranges', () => rawFile({ a: f32([2], [0, 8]), b: f32([2], [0, 8]) }, eight), /overlap/],
    ['gap between tensors', () => rawFile({ a: f32([1], [4, 8]) }, eight), /gap of 4 unused bytes before tensor "a"/],
    ['trailing bytes', () => rawFile({ a: f32([1], [0, 4]) }, eight), /has 8 bytes but the tensors cover 4/],
    ['metadata not an object', () => rawFile({ __metadata__: [1] }), /__metadata__ must be an object/],
    ['metadata value not a string', () => rawFile({ __metadata__: { format: 1 } }),
      /__metadata__\.format must be a string/],
  ];
  for (const [label, make, pattern] of cases) {
    it(`${label}: CheckpointError with a one-line message`, () => expectCheckpointError(make(), pattern));
  }

  it('every truncation and random corruption of a fixture is a CheckpointError or a valid parse', () => {
    const bytes = readFixtureBytes('hf-albert', 'tiny_shared');
    const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    // Truncations: through the length field and the header, and a few in the data section.
    for (let len = 0; len < bytes.length; len += len < 8 + n + 16 ? 1 : 997) {
      expect(() => readSafetensors(bytes.subarray(0, len)), `length ${len}`).toThrow(CheckpointError);
    }
    // Random single-byte corruptions of the length field and the header (seeded LCG, reproducible).
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 400; trial++) {
      const copy = bytes.slice();
      const pos = Math.floor(rand() * (8 + n));
      copy[pos] = Math.floor(rand() * 256);
      try {
        readSafetensors(copy);
      } catch (err) {
        expect(err, `byte ${pos}`).toBeInstanceOf(CheckpointError);
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('writeSafetensors', () => {
  it('writes sorted names, contiguous data and a space-padded header that is a multiple of 8', () => {
    const tensors = new Map([
      ['b.weight', { shape: [2, 3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }],
      ['a', { shape: [1], data: new Float32Array([-0.5]) }],
    ]);
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    const expectedJson = '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},' +
      '"b.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[4,28]}}';
    expect(header.trimEnd()).toBe(expectedJson);
    expect(header.slice(expectedJson.length)).toMatch(/^ *$/);
    expect(n - expectedJson.length).toBeLessThan(8);
    const data = new DataView(bytes.buffer, 8 + n);
    expect(bytes.length).toBe(8 + n + 28);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => data.getFloat32(4 * i, true))).toEqual([-0.5, 1, 2, 3, 4, 5, 6]);
  });

  it('round-trips bit-exactly, including NaN payloads, -0, subnormals and scalars', () => {
    const odd = new Float32Array(new Uint32Array([0x7fc00001, 0x80000000, 0x00000001, 0x7f7fffff]).buffer);
    const input = {
      odd: { shape: [4], data: odd },
      scalar: { shape: [], data: new Float32Array([3]) },
      empty: { shape: [2, 0], data: new Float32Array(0) },
      '0': { shape: [1], data: new Float32Array([7]) },
    };
    const back = readSafetensors(writeSafetensors(input));
    expect([...back.keys()]).toEqual(['0', 'empty', 'odd', 'scalar']);
    expect(new Uint32Array(back.get('odd')!.data.buffer)).toEqual(new Uint32Array(odd.buffer));
    expect(back.get('scalar')!.shape).toEqual([]);
    expect(back.get('empty')!.shape).toEqual([2, 0]);
    expect(parseSafetensorsHeader(writeSafetensors(input)).metadata).toEqual({});
  });

  it('writes from a subarray view without including neighbouring bytes', () => {
    const big = new Float32Array([9, 1, 2, 9]);
    const back = readSafetensors(writeSafetensors({ x: { shape: [2], data: big.subarray(1, 3) } }));
    expect(Array.from(back.get('x')!.data)).toEqual([1, 2]);
  });

  it('rejects bad input with a CheckpointError', () => {
    const d = new Float32Array(4);
    expect(() => writeSafetensors({ x: { shape: [3], data: d } })).toThrow(/shape \[3\] has 3 elements but its data has 4/);
    expect(() => writeSafetensors({ x: { shape: [-4], data: d } })).toThrow(CheckpointError);
    expect(() => writeSafetensors({ x: { shape: [2.5], data: d } })).toThrow(CheckpointError);
    expect(() => writeSafetensors({ __metadata__: { shape: [4], data: d } })).toThrow(/reserved/);
    expect(() => writeSafetensors({ x: { shape: [4], data: [1, 2, 3, 4] as unknown as Float32Array } }))
      .toThrow(/must be a Float32Array/);
    expect(() => writeSafetensors({}, { a: 3 as unknown as string })).toThrow(/metadata value/);
  });
});
