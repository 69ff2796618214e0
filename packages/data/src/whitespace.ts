// Whitespace normalisation that stays linear in time and small in memory on hostile input (one 50 MB line).

/** Whitespace other than a single space: what {@link collapseWhitespace} changes. */
const NEEDS_COLLAPSE = /[^\S ]|\s\s/u;

/**
 * `text.replace(/\s+/gu, ' ')`, built in windows of about 64K characters: V8's replace of millions of matches in
 * one string held every piece at once (about 16× the input), and text without runs of whitespace (the usual case)
 * is returned as is.
 */
export function collapseWhitespace(text: string): string {
  if (!NEEDS_COLLAPSE.test(text)) return text;
  const out: string[] = [];
  let window: string[] = [];
  let windowLength = 0;
  let last = 0;
  const runs = /\s+/gu;
  for (let m = runs.exec(text); m !== null; m = runs.exec(text)) {
    window.push(text.slice(last, m.index), ' ');
    windowLength += m.index - last + 1;
    last = m.index + m[0].length;
    if (windowLength >= 1 << 16) {
      out.push(window.join(''));
      window = [];
      windowLength = 0;
    }
  }
  window.push(text.slice(last));
  out.push(window.join(''));
  return out.join('');
}
