import { describe, expect, it } from 'vitest';
import { documentsFromLines, evenlySpaced, toPretrainingText } from '../src/index.js';

describe('text formats', () => {
  it('picks evenly spaced documents deterministically', () => {
    expect(evenlySpaced([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 2, 5, 7]);
    expect(evenlySpaced([1, 2], 5)).toEqual([1, 2]);
  });
  it('writes one sentence per line, a blank line between documents, first N sentences, no one-sentence documents', () => {
    const text = toPretrainingText(
      [
        { id: 'a', sentences: ['First  one.', 'Second\nline.', 'Third.'] },
        { id: 'b', sentences: ['Alone.'] },
        { id: 'c', sentences: ['X.', ' ', 'Y.'] },
      ],
      2,
    );
    expect(text).toBe('First one.\nSecond line.\n\nX.\nY.\n');
  });
  it('parses what it writes back into the same documents (browsers parse fetched text this way)', async () => {
    const text = toPretrainingText([{ id: 'a', sentences: ['One.', 'Two.'] }, { id: 'b', sentences: ['Three.', 'Four.', 'Five.'] }], 10);
    const docs = [];
    for await (const d of documentsFromLines(text.split('\n'), 'sentence-per-line', 'corpus.txt')) docs.push(d);
    expect(docs).toEqual([
      { id: 'corpus.txt#0', sentences: ['One.', 'Two.'] },
      { id: 'corpus.txt#1', sentences: ['Three.', 'Four.', 'Five.'] },
    ]);
  });
});
