// The trainer's building blocks against brute force: every segmentation enumerated, every substring counted.
import { describe, expect, it } from 'vitest';
import { Lattice, digamma, logSumExp } from '../src/train/lattice.js';
import { nbestTwo } from '../src/train/nbest.js';
import { cappedSuffixArray, forEachLcpInterval } from '../src/train/suffix-array.js';
import { isValidPiece } from '../src/train/piece-validity.js';
import { makeSeedPieces } from '../src/train/seed-pieces.js';
import { splitIntoWords } from '../src/train/words.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Node { b: number; len: number; id: number; score: number }

/** A random lattice over `n` symbols: every single symbol plus random longer nodes, scores exact in float32. */
function randomLattice(n: number, rand: () => number): Node[] {
  const nodes: Node[] = [];
  let id = 0;
  for (let b = 0; b < n; b++) {
    for (let len = 1; b + len <= n && len <= 4; len++) {
      if (len === 1 || rand() < 0.5) nodes.push({ b, len, id: id++, score: Math.fround(-0.5 - 4 * rand()) });
    }
  }
  return nodes;
}

/** All segmentations as node lists, with their total scores. */
function allPaths(nodes: Node[], n: number): { path: Node[]; score: number }[] {
  const out: { path: Node[]; score: number }[] = [];
  const walk = (pos: number, acc: Node[]): void => {
    if (pos === n) {
      out.push({ path: [...acc], score: acc.reduce((s, x) => s + x.score, 0) });
      return;
    }
    for (const x of nodes) if (x.b === pos) walk(pos + x.len, [...acc, x]);
  };
  walk(0, []);
  return out;
}

function fill(lattice: Lattice, nodes: Node[], n: number): void {
  lattice.reset(n);
  for (const x of nodes) lattice.add(x.b, x.len, x.id, x.score);
}

describe('Lattice', () => {
  const rand = rng(7);
  const lattice = new Lattice();

  it('forward-backward marginals and log Z equal the enumeration over all segmentations', () => {
    for (let trial = 0; trial < 20; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      const nodes = randomLattice(n, rand);
      fill(lattice, nodes, n);
      const expected = new Float32Array(nodes.length);
      const z = lattice.populateMarginal(3, expected);
      const paths = allPaths(nodes, n);
      const zRef = Math.log(paths.reduce((s, p) => s + Math.exp(p.score), 0));
      expect(z / 3).toBeCloseTo(zRef, 4);
      for (const x of nodes) {
        const mass = paths.filter((p) => p.path.includes(x)).reduce((s, p) => s + Math.exp(p.score - zRef), 0);
        expect(expected[x.id]!).toBeCloseTo(3 * mass, 4);
      }
    }
  });

  it('Viterbi and the two best paths equal the enumeration', () => {
    const out: number[] = [];
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      const nodes = randomLattice(n, rand);
      fill(lattice, nodes, n);
      const paths = allPaths(nodes, n).sort((a, b) => b.score - a.score);
      const ids = (ks: number[]) => ks.map((k) => lattice.id[k]!);
      expect(lattice.viterbi(out)).toBe(paths[0]!.path.length);
      expect(ids(out)).toEqual(paths[0]!.path.map((x) => x.id));
      const two = nbestTwo(lattice);
      expect(two.length).toBe(Math.min(2, paths.length));
      expect(ids(two[0]!)).toEqual(paths[0]!.path.map((x) => x.id));
      if (paths.length > 1 && paths[1]!.score !== paths[2]?.score) {
        expect(ids(two[1]!)).toEqual(paths[1]!.path.map((x) => x.id));
      }
    }
  });

  it('reports an uncovered string', () => {
    lattice.reset(3);
    lattice.add(0, 1, 0, -1);
    lattice.add(2, 1, 1, -1);
    expect(lattice.viterbi([])).toBe(-1);
  });
});

describe('numerics', () => {
  it('digamma matches known values', () => {
    expect(digamma(1)).toBeCloseTo(-0.5772156649015329, 9);
    expect(digamma(0.5)).toBeCloseTo(-1.9635100260214235, 9);
    expect(digamma(10)).toBeCloseTo(2.251752589066721, 9);
    expect(digamma(1000)).toBeCloseTo(6.907255195648812, 9);
  });

  it('logSumExp is log(e^x + e^y), ignoring terms 50 nats smaller', () => {
    expect(logSumExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 12);
    expect(logSumExp(0, -60)).toBe(0);
  });
});

describe('cappedSuffixArray + forEachLcpInterval', () => {
  it('enumerate exactly the substrings seen twice with two different right contexts, with their counts', () => {
    const rand = rng(3);
    for (let trial = 0; trial < 10; trial++) {
      const n = 30 + Math.floor(rand() * 60);
      const text = Int32Array.from({ length: n }, () => Math.floor(rand() * 3));
      const cap = 6;
      const sa = cappedSuffixArray(text, cap);
      const got = new Map<string, number>();
      forEachLcpInterval(sa, (lb, rb, depth) => {
        if (depth < cap) got.set(Array.from(text.subarray(sa.sa[lb]!, sa.sa[lb]! + depth)).join(','), rb - lb);
      });
      // Brute force: for every substring, its occurrences and the set of symbols following it (end counts too).
      const want = new Map<string, number>();
      for (let len = 1; len < cap; len++) {
        const occ = new Map<string, { count: number; next: Set<number> }>();
        for (let i = 0; i + len <= n; i++) {
          const key = Array.from(text.subarray(i, i + len)).join(',');
          const e = occ.get(key) ?? { count: 0, next: new Set<number>() };
          e.count++;
          e.next.add(i + len < n ? text[i + len]! : -1);
          occ.set(key, e);
        }
        for (const [key, e] of occ) if (e.count >= 2 && e.next.size >= 2) want.set(key, e.count);
      }
      expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
    }
  });
});

describe('piece rules', () => {
  const rules = { maxSentencepieceLength: 4, splitByWhitespace: true, splitByNumber: true, splitByUnicodeScript: true };
  const valid = (s: string, r = rules) => {
    const cps = Array.from(s, (c) => c.codePointAt(0)!);
    return isValidPiece(cps, 0, cps.length, r);
  };

  it('follows SentencePiece: length, whitespace prefix only, one script, no reserved characters', () => {
    expect(valid('\u2581abc')).toBe(true);
    expect(valid('\u2581abcd')).toBe(false); // longer than 4
    expect(valid('ab\u2581')).toBe(false);
    expect(valid('\u2581\u2581')).toBe(false);
    expect(valid('ab\u2585')).toBe(false);
    expect(valid('a b')).toBe(false);
    expect(valid('a\tb')).toBe(false);
    expect(valid('ab1')).toBe(false); // Latin + Common
    expect(valid('1,00')).toBe(true); // all Common
    expect(valid('\u03b1\u03b2')).toBe(true); // Greek
    expect(valid('a\u03b2')).toBe(false);
    expect(valid('\u3042\u30a2\u4e00')).toBe(true); // Hiragana, Katakana, Han all count as Han
    expect(valid('ab1', { ...rules, splitByNumber: false })).toBe(true);
    expect(valid('a\u03b2', { ...rules, splitByUnicodeScript: false })).toBe(true);
    expect(valid('a\u2581b', { ...rules, splitByWhitespace: false })).toBe(true);
    expect(valid('ab\u2581', { ...rules, splitByWhitespace: false })).toBe(false);
  });

  it('splits words before every whitespace marker', () => {
    expect(splitIntoWords('\u2581a\u2581bc\u2581\u2581d')).toEqual(['\u2581a', '\u2581bc', '\u2581', '\u2581d']);
    expect(splitIntoWords('ab\u2581c')).toEqual(['ab', '\u2581c']);
  });
});

describe('makeSeedPieces', () => {
  it('equals a brute-force count of branching substrings over the whole corpus', () => {
    const rand = rng(11);
    const sentences = Array.from({ length: 60 }, () =>
      Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
        '\u2581' + Array.from({ length: 1 + Math.floor(rand() * 5) }, () => 'abc'[Math.floor(rand() * 3)]).join('')).join(''));
    const rules = { maxSentencepieceLength: 5, splitByWhitespace: true, splitByNumber: true, splitByUnicodeScript: true, seedSentencepieceSize: 1000 };
    // Brute force over SentencePiece's array: sentences joined by a 0 boundary.
    const array = sentences.flatMap((s) => [...Array.from(s, (c) => c.codePointAt(0)!), 0]);
    const stats = new Map<string, { count: number; next: Set<number> }>();
    const chars = new Map<number, number>();
    for (let i = 0; i < array.length; i++) {
      if (array[i] !== 0) chars.set(array[i]!, (chars.get(array[i]!) ?? 0) + 1);
      for (let len = 2; len <= 5 && i + len <= array.length; len++) {
        if (!isValidPiece(array, i, i + len, rules)) continue;
        const key = String.fromCodePoint(...array.slice(i, i + len));
        const e = stats.get(key) ?? { count: 0, next: new Set<number>() };
        e.count++;
        e.next.add(i + len < array.length ? array[i + len]! : -1);
        stats.set(key, e);
      }
    }
    const expected = new Map<string, number>();
    for (const [cp, c] of chars) expected.set(String.fromCodePoint(cp), c);
    for (const [k, e] of stats) if (e.count >= 2 && e.next.size >= 2) expected.set(k, e.count * [...k].length);

    const required = [...chars].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const seeds = makeSeedPieces(sentences, required, rules);
    expect(new Set(seeds.map((s) => s[0]))).toEqual(new Set(expected.keys()));
    // Scores are log(score / total): differences are log ratios of the raw scores.
    const [p0, s0] = seeds[0]!;
    for (const [p, s] of seeds) expect(s - s0).toBeCloseTo(Math.log(expected.get(p)! / expected.get(p0)!), 5);
  });
});
