import { describe, expect, it } from 'vitest';
import {
  formatBalance, loadBundledCorpus, loadEmails, loadMobyDickChapters, loadSotuSpeeches, loadTask, parseEmail,
  sotuSplit, type Split,
} from '../src/index.js';

const SPLITS: Split[] = ['train', 'validation', 'test'];

describe('bundled corpora', () => {
  it('reads all SOTU speeches with year and party; splits by year', () => {
    const s = loadSotuSpeeches();
    expect(s).toHaveLength(233);
    expect(s[0]).toMatchObject({ id: 'sotu/1790_george_washington', year: 1790, president: 'George Washington', party: 'none' });
    expect(s.at(-1)).toMatchObject({ year: 2021, party: 'Democratic' });
    const docs = Object.fromEntries(SPLITS.map((sp) => [sp, loadBundledCorpus('sotu', sp)]));
    expect(docs.test.map((d) => d.id)).toContain('sotu/2000_william_j_clinton');
    expect(docs.validation.map((d) => d.id)).toContain('sotu/1995_william_j_clinton');
    expect(docs.train.map((d) => d.id)).toContain('sotu/1999_william_j_clinton');
    expect(sotuSplit(1953)).toBe('train');
    const all = SPLITS.flatMap((sp) => docs[sp].map((d) => d.id));
    expect(new Set(all).size).toBe(233);
    expect(docs.train.length).toBeGreaterThan(170);
    expect(docs.train[0].sentences.length).toBeGreaterThan(20);
  });

  it('reads Moby Dick chapters without headings; splits by chapter', () => {
    const c = loadMobyDickChapters();
    expect(c).toHaveLength(138); // etymology, extracts, 135 chapters, epilogue
    const ch1 = c.find((x) => x.id === 'moby-dick/chapter_1')!;
    expect(ch1.paragraphs[0].startsWith('Call me Ishmael.')).toBe(true);
    const test = loadBundledCorpus('moby-dick', 'test').map((d) => d.id);
    expect(test).toContain('moby-dick/chapter_10');
    expect(test).not.toContain('moby-dick/chapter_11');
    expect(c.find((x) => x.id === 'moby-dick/etymology')!.paragraphs[0]).toMatch(/^The pale Usher/);
    expect(c.find((x) => x.id === 'moby-dick/epilogue')!.paragraphs[0]).toMatch(/^The drama's done\./);
  });

  it('parses e-mails and the mixture has every source, each document in one split', () => {
    const e = loadEmails();
    expect(e.length).toBeGreaterThan(5000);
    expect(e.every((x) => x.body.length > 0)).toBe(true);
    // headers are gone (one spam message embeds a forwarded header block in its body)
    expect(e.filter((x) => /^Received: /m.test(x.body.slice(0, 300))).length).toBeLessThanOrEqual(1);
    const ids = SPLITS.map((sp) => new Set(loadBundledCorpus('mixture', sp).map((d) => d.id)));
    for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) for (const id of ids[i]) expect(ids[j].has(id)).toBe(false);
    const train = [...ids[0]];
    for (const prefix of ['sotu/', 'moby-dick/', 'spam-assassin/']) expect(train.some((id) => id.startsWith(prefix))).toBe(true);
  });

  it('parseEmail decodes quoted-printable multipart mail and strips HTML', () => {
    const raw = 'Subject: Hi\nContent-Type: multipart/alternative; boundary="b1"\n\n--b1\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n<p>Caf=C3=A9 &amp; more</p>\n--b1--\n';
    expect(parseEmail(raw)).toEqual({ subject: 'Hi', body: 'Café & more' });
  });
});

describe('downstream tasks', () => {
  for (const name of ['spam', 'sotu-party', 'moby-vs-sotu']) {
    it(`${name}: fixed splits without shared documents, balance report`, () => {
      const t = loadTask(name);
      expect(t.labels).toHaveLength(2);
      const docs = SPLITS.map((s) => new Set(t[s].map((x) => x.doc)));
      for (let i = 0; i < 3; i++) for (let j = i + 1; j < 3; j++) for (const d of docs[i]) expect(docs[j].has(d)).toBe(false);
      for (const s of SPLITS) {
        expect(t[s].length).toBeGreaterThan(100);
        const ones = t[s].filter((x) => x.label === 1).length;
        expect(t.balance[s].counts[t.labels[1]]).toBe(ones);
        expect(t.balance[s].total).toBe(t[s].length);
      }
      expect(formatBalance(t).split('\n')).toHaveLength(3);
      expect(loadTask(name).train[0]).toBe(t.train[0]); // cached and deterministic
    });
  }

  it('task balances are what the README reports', () => {
    expect(loadTask('moby-vs-sotu').balance.train.fractions['moby-dick']).toBe(0.5);
    const spam = loadTask('spam').balance.train.fractions.spam;
    expect(spam).toBeGreaterThan(0.25);
    expect(spam).toBeLessThan(0.35);
    const dem = loadTask('sotu-party').balance.train.fractions.Democratic;
    expect(Math.abs(dem - 0.5)).toBeLessThan(0.05);
    expect(() => loadTask('nope')).toThrow(/unknown task/);
  });
});
