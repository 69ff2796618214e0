// Property-based fuzzing of the parsers that read user files (fast-check), with the bar every parser must meet on
// every input: it returns, or throws one of its typed errors with a one-line message; it takes bounded time; and
// no allocation is larger than a small multiple of the input. Tests run a few thousand cases; `pnpm fuzz --parser
// <name> --runs N` runs the same property N times (FUZZ_RUNS) and reports the count and the time (FUZZ_REPORT).

import fs from 'node:fs';
import * as fc from 'fast-check';

export { fc };

/** What one fuzzed parser must satisfy; see {@link fuzzParser}. */
export interface FuzzSpec<T> {
  /** Parser name, as `pnpm fuzz --parser <name>` knows it. */
  name: string;
  arbitrary: fc.Arbitrary<T>;
  /** Runs the parser (and whatever uses its result) on one input; may be async. */
  run: (input: T) => unknown;
  /** True for the typed errors the parser may throw (e.g. `err instanceof CheckpointError`). */
  accepts: (err: unknown) => boolean;
  /** Size of an input in bytes: the allocation bound is `allocationFactor * size + ALLOCATION_SLACK_BYTES`. */
  size: (input: T) => number;
  /** Cases when FUZZ_RUNS is not set (default 2000). */
  runs?: number;
  /** Longest a case may take (default 2000 ms; on a loaded machine a case of a few KB takes well under 50 ms). */
  caseTimeLimitMs?: number;
  /** Default 8: no single allocation may exceed 8 bytes per input byte (plus the slack). */
  allocationFactor?: number;
  /** Further checks on a successful result (throw to fail). */
  check?: (input: T, result: unknown) => void;
}

/** What a fuzz run did. */
export interface FuzzReport {
  parser: string;
  runs: number;
  ms: number;
  /** Cases that ended in an accepted typed error. */
  rejected: number;
  /** Largest single allocation seen, in bytes, and the input size of that case. */
  largestAllocation: { bytes: number; inputBytes: number };
}

/** Allocations up to this size never count against the bound (lookup tables, decoder buffers). */
export const ALLOCATION_SLACK_BYTES = 1 << 20;

/** Longest message a typed error may have. */
const MAX_MESSAGE_LENGTH = 1000;

const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
] as const;

/** Bytes a typed-array or ArrayBuffer constructor call allocates for these arguments (0 for a view). */
function constructedBytes(bytesPerElement: number, args: unknown[]): number {
  const first = args[0];
  if (typeof first === 'number') return first * bytesPerElement;
  if (first instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && first instanceof SharedArrayBuffer)) {
    return 0; // a view on existing memory
  }
  const length = (first as { length?: unknown } | null | undefined)?.length;
  return typeof length === 'number' ? length * bytesPerElement : 0;
}

/**
 * Records the largest allocation made through the global typed-array and ArrayBuffer constructors and the
 * `Buffer.alloc*` functions while `fn` runs (the constructors are wrapped for the duration only). Allocations made
 * inside V8 or Node internals (strings, JSON) are not seen; typed arrays are where a size read from a hostile file
 * turns into memory.
 */
export async function trackAllocations<R>(fn: () => R | Promise<R>): Promise<{ result: R; largest: number }> {
  const g = globalThis as unknown as Record<string, unknown>;
  let largest = 0;
  const note = (bytes: number): void => { if (bytes > largest) largest = bytes; };
  const saved: [Record<string, unknown>, string, unknown][] = [];
  const replace = (owner: Record<string, unknown>, key: string, value: unknown): void => {
    saved.push([owner, key, owner[key]]);
    owner[key] = value;
  };
  for (const name of [...TYPED_ARRAYS, 'ArrayBuffer']) {
    const Ctor = g[name] as (new (...args: unknown[]) => object) & { BYTES_PER_ELEMENT?: number };
    const bpe = Ctor.BYTES_PER_ELEMENT ?? 1;
    const proxy: unknown = new Proxy(Ctor, {
      construct(target, args, newTarget) {
        note(constructedBytes(bpe, args));
        return Reflect.construct(target, args, newTarget === proxy ? target : newTarget) as object;
      },
    });
    replace(g, name, proxy);
  }
  const B = Buffer as unknown as Record<string, unknown>;
  for (const name of ['alloc', 'allocUnsafe', 'allocUnsafeSlow']) {
    const original = B[name] as (size: number, ...rest: unknown[]) => Buffer;
    replace(B, name, (size: number, ...rest: unknown[]) => { note(size); return original.call(Buffer, size, ...rest); });
  }
  try {
    const result = await fn();
    return { result, largest };
  } finally {
    for (const [owner, key, value] of saved.reverse()) owner[key] = value;
  }
}

/** Number of cases: FUZZ_RUNS when set, else the spec's own count. */
export function fuzzRuns(defaultRuns = 2000): number {
  const env = process.env.FUZZ_RUNS;
  if (env === undefined || env === '') return defaultRuns;
  const n = Number(env);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got '${env}'`);
  return n;
}

/** Timeout for a vitest test that fuzzes `runs` cases (at least 120 s, 20 ms a case). */
export function fuzzTimeout(runs: number): number {
  return Math.max(120_000, runs * 20);
}

/** Only the parser FUZZ_PARSER names runs (all when unset): lets the script run one parser of a test file. */
export function fuzzSelected(name: string): boolean {
  const only = process.env.FUZZ_PARSER;
  return only === undefined || only === '' || only === 'all' || only === name;
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message.slice(0, 300)}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}`;
  return String(err);
}

/**
 * Runs the fuzz property of `spec` (FUZZ_RUNS cases, else `spec.runs`, else 2000; FUZZ_SEED fixes the seed) and
 * fails with fast-check's shrunk counterexample if any case crashes with an error the spec does not accept, throws
 * a message that is not one short line, exceeds the time limit or the allocation bound, or fails `spec.check`.
 * Appends the report as one JSON line to the FUZZ_REPORT file when set.
 */
export async function fuzzParser<T>(spec: FuzzSpec<T>): Promise<FuzzReport> {
  const runs = fuzzRuns(spec.runs ?? 2000);
  const limit = spec.caseTimeLimitMs ?? 2000;
  const factor = spec.allocationFactor ?? 8;
  let rejected = 0;
  let cases = 0;
  const largestAllocation = { bytes: 0, inputBytes: 0 };
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  const start = performance.now();
  const details = await fc.check(
    fc.asyncProperty(spec.arbitrary, async (input) => {
      // Let the event loop run now and then: the test runner talks to this worker over IPC and gives up on a
      // worker that does not answer for a minute (100,000 synchronous cases never yield on their own).
      if (++cases % 200 === 0) await new Promise((resolve) => setImmediate(resolve));
      const t0 = performance.now();
      let outcome: { ok: true; value: unknown } | { ok: false; err: unknown };
      let largest: number;
      try {
        const tracked = await trackAllocations(() => spec.run(input));
        outcome = { ok: true, value: tracked.result };
        largest = tracked.largest;
      } catch (err) {
        outcome = { ok: false, err };
        largest = 0;
      }
      const ms = performance.now() - t0;
      const size = spec.size(input);
      if (largest > largestAllocation.bytes) Object.assign(largestAllocation, { bytes: largest, inputBytes: size });
      if (ms > limit) throw new Error(`${spec.name}: a case of ${size} bytes took ${ms.toFixed(0)} ms (limit ${limit} ms)`);
      if (largest > factor * size + ALLOCATION_SLACK_BYTES) {
        throw new Error(`${spec.name}: allocated ${largest} bytes at once for an input of ${size} bytes`);
      }
      if (outcome.ok) {
        spec.check?.(input, outcome.value);
        return;
      }
      const err = outcome.err;
      if (!spec.accepts(err)) throw new Error(`${spec.name}: unexpected error ${describeError(err)}`);
      const message = (err as Error).message;
      if (/[\r\n]/.test(message) || message.length > MAX_MESSAGE_LENGTH) {
        throw new Error(`${spec.name}: the error message is not one short line (${message.length} chars): ` +
          JSON.stringify(message.slice(0, 200)));
      }
      rejected++;
    }),
    { numRuns: runs, seed },
  );
  const file = process.env.FUZZ_REPORT;
  if (details.failed) {
    // fast-check's own report prints the whole counterexample, which can be megabytes: show its start.
    const example = fc.stringify(details.counterexample?.[0]);
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const failure = `${spec.name}: property failed after ${details.numRuns} cases (seed ${details.seed}, path ` +
      `"${details.counterexamplePath}", shrunk ${details.numShrinks} times)\n${cause}\ncounterexample (${example.length} ` +
      `chars): ${example.slice(0, 600)}${example.length > 600 ? '...' : ''}`;
    // Kept for `pnpm fuzz`, which replays nothing: the seed and path are what reproduces the case (FUZZ_SEED).
    if (file !== undefined && file !== '') fs.appendFileSync(file, `${JSON.stringify({ parser: spec.name, failure })}\n`);
    throw new Error(failure);
  }
  const report: FuzzReport = { parser: spec.name, runs, ms: Math.round(performance.now() - start), rejected, largestAllocation };
  if (file !== undefined && file !== '') fs.appendFileSync(file, `${JSON.stringify(report)}\n`);
  return report;
}

/**
 * Byte-level mutations of a valid file: bit flips, byte overwrites, truncation, insertion and deletion of runs,
 * duplication of a slice, and splices of a little-endian u64/u32 with a boundary value (sizes and counts).
 */
export function mutatedBytes(valid: Uint8Array): fc.Arbitrary<Uint8Array> {
  const n = valid.length;
  const pos = fc.nat({ max: Math.max(0, n) });
  const boundary = fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1, n, n - 8, n + 1, 100_000_000);
  const concat = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  };
  const mutation: fc.Arbitrary<(b: Uint8Array) => Uint8Array> = fc.oneof(
    fc.tuple(pos, fc.nat({ max: 7 })).map(([p, bit]) => (b: Uint8Array) => {
      const c = b.slice();
      if (p < c.length) c[p]! ^= 1 << bit;
      return c;
    }),
    fc.tuple(pos, fc.integer({ min: 0, max: 255 })).map(([p, v]) => (b: Uint8Array) => {
      const c = b.slice();
      if (p < c.length) c[p] = v;
      return c;
    }),
    pos.map((p) => (b: Uint8Array) => b.slice(0, Math.min(p, b.length))),
    fc.tuple(pos, fc.uint8Array({ maxLength: 64 })).map(([p, ins]) => (b: Uint8Array) => {
      const q = Math.min(p, b.length);
      return concat(b.subarray(0, q), ins, b.subarray(q));
    }),
    fc.tuple(pos, fc.nat({ max: 64 })).map(([p, len]) => (b: Uint8Array) => {
      const q = Math.min(p, b.length);
      return concat(b.subarray(0, q), b.subarray(Math.min(b.length, q + len)));
    }),
    fc.tuple(pos, pos).map(([a, b2]) => (b: Uint8Array) => {
      const [lo, hi] = [Math.min(a, b2, b.length), Math.min(Math.max(a, b2), b.length)];
      return concat(b.subarray(0, hi), b.subarray(lo, hi), b.subarray(hi));
    }),
    fc.tuple(pos, boundary, fc.boolean()).map(([p, v, wide]) => (b: Uint8Array) => {
      const c = b.slice();
      const width = wide ? 8 : 4;
      if (p + width > c.length) return c;
      const view = new DataView(c.buffer, c.byteOffset, c.byteLength);
      const value = Math.max(0, v);
      if (wide) view.setBigUint64(p, BigInt(value), true);
      else view.setUint32(p, value >>> 0, true);
      return c;
    }),
  );
  return fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => ms.reduce((b, m) => m(b), valid));
}

/**
 * JSON text of one hostile value: ordinary JSON, nesting deep enough to overflow recursive code (built as text:
 * JSON.stringify itself overflows), long strings, numbers at the edges, strings with control characters.
 */
export function hostileJsonText(): fc.Arbitrary<string> {
  const deep = fc.tuple(fc.integer({ min: 1000, max: 20000 }), fc.boolean()).map(([depth, asObject]) =>
    asObject ? '{"a":'.repeat(depth) + '0' + '}'.repeat(depth) : '['.repeat(depth) + '0' + ']'.repeat(depth));
  return fc.oneof(
    { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200_000 }).map((n) => JSON.stringify('x'.repeat(n))) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }).map((t) => JSON.stringify(`${t}\n\r\u0000`)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('-1', '0', '0.5', '1e308', '-0', '9007199254740993', '2147483648', '1e400', '""', '"1"',
        'true', 'null', '[]', '{}', '4194304', '4194305'),
    },
  );
}

/**
 * JSON text of `base` with one to three edits: a value anywhere (including the root) replaced by a
 * {@link hostileJsonText} value, or a key or array element removed.
 */
export function mutatedJson(base: unknown): fc.Arbitrary<string> {
  type Path = (string | number)[];
  const paths: Path[] = [];
  const walk = (v: unknown, path: Path): void => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(base, []);
  const edit = fc.tuple(fc.nat({ max: paths.length - 1 }),
    fc.oneof({ weight: 4, arbitrary: hostileJsonText() }, { weight: 1, arbitrary: fc.constant(undefined) }));
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    const copy = structuredClone(base) as unknown;
    const holes: string[] = [];
    for (const [index, replacement] of edits) {
      const path = paths[index]!;
      if (path.length === 0) {
        if (replacement !== undefined) return replacement;
        continue;
      }
      let parent: unknown = copy;
      for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
      if (typeof parent !== 'object' || parent === null) continue; // an earlier edit replaced or removed it
      const key = path[path.length - 1]!;
      if (replacement === undefined) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete (parent as Record<string, unknown>)[key];
      } else {
        (parent as Record<string | number, unknown>)[key] = `@@hole${holes.length}@@`;
        holes.push(replacement);
      }
    }
    let text = JSON.stringify(copy);
    holes.forEach((h, i) => { text = text.replace(`"@@hole${i}@@"`, () => h); });
    return text;
  });
}
