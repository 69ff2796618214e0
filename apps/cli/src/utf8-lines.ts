// Lines of a byte stream such as stdin, decoded as strict UTF-8: a line that is not valid UTF-8 is a one-line
// UsageError naming it, instead of being turned into U+FFFD without a word (what readline's decoder does).

import { UsageError } from './command.js';

/**
 * The lines of `input` without their terminators (`\n`, or `\r\n`), the first one without a leading BOM. Lines are
 * split on the byte 0x0A (which never occurs inside a multi-byte UTF-8 sequence) and then decoded, so the error
 * names the exact line; a long line is joined once from the chunks it spans.
 */
export async function* utf8Lines(input: AsyncIterable<Uint8Array | string>, what = 'stdin'): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let pending: Uint8Array[] = [];
  let lineNo = 0;
  const line = (): string => {
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending);
    pending = [];
    lineNo++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new UsageError(`${what} line ${lineNo}: not valid UTF-8`);
    }
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  for await (const chunk of input) {
    const buf = typeof chunk === 'string'
      ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
      pending.push(buf.subarray(start, nl));
      yield line();
      start = nl + 1;
    }
    if (start < buf.length) pending.push(buf.subarray(start));
  }
  if (pending.length > 0) {
    const last = line();
    if (last !== '') yield last; // what follows the last line break, unless only a BOM or a CR
  }
}
