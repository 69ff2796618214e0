import { describe, expect, it } from 'vitest';
import { splitSentences } from '../src/index.js';

describe('splitSentences', () => {
  it('splits on terminal punctuation before a capital', () => {
    expect(splitSentences('It rained. We stayed in! Did you? Yes.')).toEqual(['It rained.', 'We stayed in!', 'Did you?', 'Yes.']);
  });
  it('keeps abbreviations, initials, acronyms and decimals', () => {
    expect(splitSentences('Mr. Smith met Dr. Jones at 3.5 p.m. today. The U.S. Government agreed.')).toEqual([
      'Mr. Smith met Dr. Jones at 3.5 p.m. today.', 'The U.S. Government agreed.',
    ]);
    expect(splitSentences('I saw J. R. Tolkien. He waved.')).toEqual(['I saw J. R. Tolkien.', 'He waved.']);
  });
  it('handles closing quotes and brackets and normalises whitespace', () => {
    expect(splitSentences('He said, "Go home."  She\n went. (It was late.) Then "Why?" he asked.')).toEqual([
      'He said, "Go home."', 'She went.', '(It was late.)', 'Then "Why?" he asked.',
    ]);
  });
  it('does not split before a lower-case word and handles ellipses', () => {
    expect(splitSentences('Wait... and then... Nothing happened.')).toEqual(['Wait... and then...', 'Nothing happened.']);
    expect(splitSentences('')).toEqual([]);
  });
});
