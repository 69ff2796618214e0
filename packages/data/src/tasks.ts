import type { Split } from './document.js';
import { DataError } from './errors.js';
import { Rng } from './rng.js';
import { splitSentences } from './sentences.js';
import { loadEmails, emailSplit } from './corpora/spam-assassin.js';
import { loadMobyDickChapters, mobyDickSplit } from './corpora/moby-dick.js';
import { loadSotuSpeeches, sotuSplit } from './corpora/sotu.js';

/** One labelled example of a downstream task. `label` indexes the task's `labels`. */
export interface TaskExample {
  text: string;
  textPair?: string;
  label: number;
  /** Source document id (a speech, chapter or e-mail); all examples of one document are in one split. */
  doc: string;
}

/** Label counts and fractions of one split. */
export interface SplitBalance {
  total: number;
  counts: Record<string, number>;
  fractions: Record<string, number>;
}

/** A downstream classification task with fixed splits. */
export interface Task {
  name: TaskName;
  /** Label names; `TaskExample.label` is an index into this list. */
  labels: string[];
  train: TaskExample[];
  validation: TaskExample[];
  test: TaskExample[];
  /** Label balance per split (report it with {@link formatBalance}). */
  balance: Record<Split, SplitBalance>;
  /** How the task was built and split, one paragraph. */
  description: string;
}

/** Names of the bundled tasks. */
export const TASK_NAMES = ['spam', 'sotu-party', 'moby-vs-sotu'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

const SPLITS: Split[] = ['train', 'validation', 'test'];
/** Sentences per passage for the passage-level tasks. */
const PASSAGE_SENTENCES = 4;
const TASK_SEED = 20240229;

/** Groups a text's sentences into passages of `n` sentences (a last group shorter than n/2 joins the previous). */
export function passages(text: string, n = PASSAGE_SENTENCES): string[] {
  const s = splitSentences(text);
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n).join(' '));
  if (out.length >= 2 && s.length % n !== 0 && s.length % n < n / 2) {
    const last = out.pop() as string;
    out[out.length - 1] += ` ${last}`;
  }
  return out;
}

function balanceOf(examples: TaskExample[], labels: string[]): SplitBalance {
  const counts: Record<string, number> = {};
  for (const l of labels) counts[l] = 0;
  for (const e of examples) counts[labels[e.label]]++;
  const fractions: Record<string, number> = {};
  for (const l of labels) fractions[l] = examples.length ? counts[l] / examples.length : 0;
  return { total: examples.length, counts, fractions };
}

function finish(name: TaskName, labels: string[], bySplit: Record<Split, TaskExample[]>, description: string): Task {
  const t = { name, labels, description } as Task;
  t.balance = {} as Task['balance'];
  for (const s of SPLITS) {
    t[s] = new Rng(TASK_SEED, name, s).shuffle(bySplit[s]);
    t.balance[s] = balanceOf(t[s], labels);
  }
  return t;
}

function spamTask(): Task {
  const labels = ['ham', 'spam'];
  const by: Record<Split, TaskExample[]> = { train: [], validation: [], test: [] };
  for (const e of loadEmails()) {
    const text = e.subject ? `${e.subject}\n${e.body}` : e.body;
    by[emailSplit(e.body)].push({ text, label: e.label === 'spam' ? 1 : 0, doc: e.id });
  }
  return finish('spam', labels, by,
    'SpamAssassin public corpus (easy-ham-1/2, hard-ham-1 = ham; spam-1/2 = spam), text = subject + cleaned body, exact duplicates removed; split by FNV-1a hash of the body (0 → test, 1 → validation, else train). Natural imbalance (about 30% spam) is kept.');
}

function sotuPartyTask(): Task {
  const labels = ['Democratic', 'Republican'];
  const by: Record<Split, TaskExample[]> = { train: [], validation: [], test: [] };
  for (const s of loadSotuSpeeches()) {
    const label = labels.indexOf(s.party);
    if (label < 0) continue;
    for (const p of passages(s.text)) by[sotuSplit(s.year)].push({ text: p, label, doc: s.id });
  }
  return finish('sotu-party', labels, by,
    `State of the Union passages of ${PASSAGE_SENTENCES} sentences from Democratic and Republican presidents (other parties left out), label = party of the speaker; split by year (year % 10 = 0 → test, 5 → validation, else train), so no speech is in two splits. Imbalance is reported, not corrected.`);
}

function mobyVsSotuTask(): Task {
  const labels = ['sotu', 'moby-dick'];
  const moby: Record<Split, TaskExample[]> = { train: [], validation: [], test: [] };
  const sotu: Record<Split, TaskExample[]> = { train: [], validation: [], test: [] };
  for (const c of loadMobyDickChapters()) {
    for (const p of passages(c.paragraphs.join(' '))) moby[mobyDickSplit(c.number)].push({ text: p, label: 1, doc: c.id });
  }
  for (const s of loadSotuSpeeches()) for (const p of passages(s.text)) sotu[sotuSplit(s.year)].push({ text: p, label: 0, doc: s.id });
  const by = {} as Record<Split, TaskExample[]>;
  for (const sp of SPLITS) {
    // balance: a seeded sample of SOTU passages as large as the Moby Dick side
    const sample = new Rng(TASK_SEED, 'moby-vs-sotu-sample', sp).shuffle(sotu[sp].slice()).slice(0, moby[sp].length);
    by[sp] = [...moby[sp], ...sample];
  }
  return finish('moby-vs-sotu', labels, by,
    `Source of a ${PASSAGE_SENTENCES}-sentence passage: Moby Dick (split by chapter: n % 10 = 0 → test, 5 → validation) or a State of the Union address (split by year, same rule); SOTU passages are subsampled (seeded) to the Moby Dick count in every split, so labels are 50/50.`);
}

const cache = new Map<TaskName, Task>();

/** Loads a bundled downstream task (deterministic; cached per process). */
export function loadTask(name: TaskName | string): Task {
  if (!(TASK_NAMES as readonly string[]).includes(name)) throw new DataError(`unknown task '${name}' (expected one of ${TASK_NAMES.join(', ')})`);
  const n = name as TaskName;
  let t = cache.get(n);
  if (!t) {
    t = n === 'spam' ? spamTask() : n === 'sotu-party' ? sotuPartyTask() : mobyVsSotuTask();
    cache.set(n, t);
  }
  return t;
}

/** A small text table of a task's label balance, one line per split. */
export function formatBalance(task: Task): string {
  return SPLITS.map((s) => {
    const b = task.balance[s];
    const parts = task.labels.map((l) => `${l} ${b.counts[l]} (${(100 * b.fractions[l]).toFixed(1)}%)`);
    return `${task.name} ${s}: ${b.total} examples; ${parts.join(', ')}`;
  }).join('\n');
}
