// Splitting raw text at HF "added tokens" ([CLS], [MASK], ...): leftmost match first, the longest content among
// matches that start at the same place, with `lstrip` / `rstrip` taking the whitespace beside the token.
// A scan with indexOf, not one regex alternation of every content: a tokenizer.json with long or many added
// tokens made V8 reject that regex ("Regular expression too large") when the first text was tokenized.

/** An added token as far as matching is concerned. */
export interface AddedTokenPattern {
  readonly content: string;
  readonly lstrip: boolean;
  readonly rstrip: boolean;
}

/** One match: `text.slice(start, end)` is replaced by `token`. */
export interface AddedTokenMatch<T extends AddedTokenPattern> {
  readonly start: number;
  readonly end: number;
  readonly token: T;
}

const isSpace = (ch: string): boolean => /\s/u.test(ch);

/** Every match of `tokens` in `text`, left to right, not overlapping. Linear in `text` per token. */
export function* addedTokenMatches<T extends AddedTokenPattern>(
  text: string, tokens: readonly T[],
): Generator<AddedTokenMatch<T>> {
  // Longest content first, so that it wins a tie at the same start.
  const ordered = [...tokens].sort((a, b) => b.content.length - a.content.length);
  const next = ordered.map(() => -2); // next occurrence at or after `from` (-2: not looked up yet, -1: none)
  let from = 0;
  for (;;) {
    let best: AddedTokenMatch<T> | undefined;
    ordered.forEach((token, k) => {
      if (next[k]! !== -1 && next[k]! < from) next[k] = text.indexOf(token.content, from);
      const at = next[k]!;
      if (at < 0) return;
      let start = at;
      if (token.lstrip) while (start > from && isSpace(text[start - 1]!)) start--;
      if (best !== undefined && start >= best.start) return;
      let end = at + token.content.length;
      if (token.rstrip) while (end < text.length && isSpace(text[end]!)) end++;
      best = { start, end, token };
    });
    if (best === undefined) return;
    yield best;
    from = best.end;
  }
}
