// Hostile input, fuzzed: safetensors files and config.json (`pnpm fuzz --parser safetensors|config --runs N`).
import { describe, expect, it } from 'vitest';
import {
  fc, fuzzParser, fuzzRuns, fuzzSelected, fuzzTimeout, hostileJsonText, mutatedBytes, readBinaryFixture,
} from '@albert-ts/testing';
import {
  CheckpointError, ConfigError, HF_FIELD, HIDDEN_ACTS, MAX_DIMENSION, configFromHf, countParams, readSafetensors,
  writeSafetensors,
} from '../src/index.js';

const DTYPES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** A structurally valid file of random tensors of every dtype (the writer only writes F32). */
const validFile: fc.Arbitrary<Uint8Array> = fc.array(
  fc.record({
    name: fc.string({ minLength: 1, maxLength: 12 }),
    dtype: fc.constantFrom(...Object.keys(DTYPES)),
    shape: fc.array(fc.nat({ max: 5 }), { maxLength: 3 }),
  }),
  { maxLength: 5 },
).chain((tensors) => {
  const unique = [...new Map(tensors.filter((t) => t.name !== '__metadata__').map((t) => [t.name, t])).values()];
  let offset = 0;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  for (const t of unique) {
    const bytes = t.shape.reduce((a, b) => a * b, 1) * DTYPES[t.dtype]!;
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  return fc.uint8Array({ minLength: offset, maxLength: offset }).map((data) => {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    return out;
  });
});

/** A header assembled as text from valid or hostile field values, with a data section of any length. */
const hostileHeaderFile: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.array(fc.tuple(
    fc.oneof(fc.string({ maxLength: 8 }), fc.constant('__metadata__')),
    fc.oneof(fc.constantFrom(...Object.keys(DTYPES).map((d) => `"${d}"`), '"F8_E4M3"', '"f32"'), hostileJsonText()),
    fc.oneof(fc.array(fc.nat({ max: 4 }), { maxLength: 3 }).map((s) => JSON.stringify(s)), hostileJsonText()),
    fc.oneof(fc.tuple(fc.nat({ max: 64 }), fc.nat({ max: 64 })).map((o) => JSON.stringify(o)), hostileJsonText()),
    fc.boolean(),
  ), { maxLength: 4 }),
  fc.nat({ max: 256 }),
  fc.constantFrom('exact', 'short', 'long', 'huge'),
).map(([entries, dataLength, lengthField]) => {
  const fields = entries.map(([name, dtype, shape, offsets, asMetadata]) => `${JSON.stringify(name)}:` +
    (asMetadata ? `{"format":${dtype}}` : `{"dtype":${dtype},"shape":${shape},"data_offsets":${offsets}}`));
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const out = new Uint8Array(8 + json.length + dataLength);
  const claimed = { exact: json.length, short: Math.max(0, json.length - 3), long: json.length + 5, huge: 2 ** 40 }[lengthField];
  new DataView(out.buffer).setBigUint64(0, BigInt(claimed), true);
  out.set(json, 8);
  return out;
});

const fixture = readBinaryFixture('hf-albert', 'tiny_shared.safetensors');

describe('fuzz: safetensors (readSafetensors)', () => {
  const runs = fuzzRuns(3000);
  it.skipIf(!fuzzSelected('safetensors'))(`${runs} cases: typed one-line CheckpointError or a consistent result`, async () => {
    const report = await fuzzParser({
      name: 'safetensors',
      runs,
      arbitrary: fc.oneof(
        { weight: 2, arbitrary: validFile },
        { weight: 3, arbitrary: validFile.chain((f) => mutatedBytes(f)) },
        { weight: 3, arbitrary: hostileHeaderFile },
        { weight: 1, arbitrary: mutatedBytes(fixture) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
      ),
      run: (bytes) => readSafetensors(bytes),
      accepts: (err) => err instanceof CheckpointError,
      size: (bytes) => bytes.length,
      check: (_bytes, result) => {
        for (const [name, t] of result as ReturnType<typeof readSafetensors>) {
          const numel = t.shape.reduce((a, b) => a * b, 1);
          if (t.data.length !== numel) throw new Error(`${name}: ${t.data.length} values for shape ${JSON.stringify(t.shape)}`);
        }
      },
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));

  it('round trip: what the writer writes, the reader reads back bit for bit', () => {
    fc.assert(fc.property(
      fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }).filter((n) => n !== '__metadata__'),
        fc.float32Array({ maxLength: 20 }), { maxKeys: 5 }),
      (tensors) => {
        const input = new Map(Object.entries(tensors).map(([n, d]) => [n, { shape: [d.length], data: d }]));
        const back = readSafetensors(writeSafetensors(input));
        expect([...back.keys()].sort()).toEqual([...input.keys()].sort());
        for (const [n, t] of input) {
          expect(new Uint32Array(back.get(n)!.data.buffer)).toEqual(new Uint32Array(Float32Array.from(t.data).buffer));
        }
      },
    ), { numRuns: 300 });
  });
});

/** config.json texts: each HF field absent, valid-looking or hostile, plus stray keys and non-objects. */
const configText: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(
    fc.array(fc.tuple(
      fc.constantFrom(...Object.values(HF_FIELD), 'model_type', 'albert_ts_sharing', '__proto__', 'constructor'),
      fc.oneof(
        fc.constantFrom('1', '2', '4', '8', '16', '64', '128', '0.1', '0.02', '1e-12', '"gelu_new"', '"relu"', '"albert"'),
        fc.constantFrom(...HIDDEN_ACTS.map((a) => JSON.stringify(a))),
        fc.integer({ min: -5, max: 70000 }).map(String),
        hostileJsonText(),
      ),
    ), { maxLength: 24 }),
  ).map(([fields]) => `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`) },
  { weight: 1, arbitrary: hostileJsonText() },
);

/** Invariants every config that passes validation must satisfy. */
function checkConfig(text: string, result: unknown): void {
  const c = result as ReturnType<typeof configFromHf>;
  for (const v of [c.vocabSize, c.embeddingSize, c.hiddenSize, c.numHiddenLayers, c.numHiddenGroups, c.innerGroupNum,
    c.numAttentionHeads, c.intermediateSize, c.maxPositionEmbeddings, c.typeVocabSize]) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_DIMENSION) throw new Error(`accepted dimension ${v} from ${text.slice(0, 200)}`);
  }
  if (c.hiddenSize % c.numAttentionHeads !== 0 || c.numHiddenLayers % c.numHiddenGroups !== 0) {
    throw new Error(`accepted inconsistent sizes from ${text.slice(0, 200)}`);
  }
  const total = countParams(c).total;
  if (!Number.isSafeInteger(total) || total <= 0) throw new Error(`parameter count ${total}`);
}

describe('fuzz: config.json (configFromHf)', () => {
  const runs = fuzzRuns(4000);
  it.skipIf(!fuzzSelected('config'))(`${runs} cases: typed one-line ConfigError or a valid config`, async () => {
    const report = await fuzzParser({
      name: 'config',
      runs,
      arbitrary: configText,
      run: (text) => configFromHf(JSON.parse(text)),
      accepts: (err) => err instanceof ConfigError,
      size: (text) => text.length * 2,
      check: checkConfig,
    });
    expect(report.runs).toBe(runs);
  }, fuzzTimeout(runs));
});
