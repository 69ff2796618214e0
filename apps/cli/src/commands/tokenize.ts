// `albert tokenize`: SentencePiece / ALBERT tokenization of JSON Lines from stdin.

import { writeOutput } from '@albert-ts/core/process';
import type { AlbertTokenizer } from '@albert-ts/tokenizer';
import { loadAlbertTokenizer } from '@albert-ts/tokenizer/node';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { intOption, parseOptions, requireOption } from '../args.js';
import { utf8Lines } from '../utf8-lines.js';

const HELP = `usage: albert tokenize --model <dir|file.model> [--albert] [--pair] [--max-length N]
--model is an HF tokenizer directory (spiece.model with its tokenizer_config.json and special_tokens_map.json,
e.g. a saved model) or a SentencePiece .model file (read with albert-base-v2's settings: lower-case, no accents).
Reads JSON Lines (UTF-8) from stdin: each line a JSON string, or {"text": ...}, or with --pair
{"text": ..., "text_pair": ...}. Writes one JSON object per line: {"ids","pieces"} (plain SentencePiece), or with
--albert {"tokens","ids","input_ids","token_type_ids","attention_mask"} (HuggingFace AlbertTokenizer with the
directory's settings; ids without special tokens, input_ids with them). --max-length truncates input_ids (longest_first) in
--albert mode.`;

/** Options of {@link tokenizeLines}. */
export interface TokenizeOptions {
  tokenizer: AlbertTokenizer;
  albert: boolean;
  pair: boolean;
  maxLength?: number;
}

/** Parses one input line into `[text, textPair?]`; problems are one-line UsageErrors naming the line. */
function parseLine(line: string, lineNo: number, pair: boolean): [string, string | undefined] {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new UsageError(`stdin line ${lineNo}: not valid JSON`);
  }
  if (typeof value === 'string') {
    if (pair) throw new UsageError(`stdin line ${lineNo}: --pair expects an object {"text": ..., "text_pair": ...}`);
    return [value, undefined];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`stdin line ${lineNo}: expected a JSON string or an object with a "text" field`);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.text !== 'string') throw new UsageError(`stdin line ${lineNo}: "text" must be a string`);
  if (!pair) return [obj.text, undefined];
  if (typeof obj.text_pair !== 'string') throw new UsageError(`stdin line ${lineNo}: "text_pair" must be a string with --pair`);
  return [obj.text, obj.text_pair];
}

/**
 * Tokenizes JSON Lines from `lines`, writing one JSON object per non-empty input line through `write`.
 * Exported for in-process tests; the command wires it to stdin/stdout.
 */
export async function tokenizeLines(lines: AsyncIterable<string>, options: TokenizeOptions,
  write: (line: string) => void | Promise<void>): Promise<number> {
  const sp = options.tokenizer.sp;
  const albert = options.albert ? options.tokenizer : undefined;
  let lineNo = 0;
  let count = 0;
  for await (const raw of lines) {
    lineNo++;
    const line = raw.trim();
    if (line === '') continue;
    const [text, textPair] = parseLine(line, lineNo, options.pair);
    if (albert === undefined) {
      if (textPair !== undefined) {
        const a = sp.encode(text);
        const b = sp.encode(textPair);
        await write(JSON.stringify({ ids: a.ids, pieces: a.pieces, pair_ids: b.ids, pair_pieces: b.pieces }));
      } else {
        const { ids, pieces } = sp.encode(text);
        await write(JSON.stringify({ ids, pieces }));
      }
    } else {
      const tokens = albert.tokenize(text);
      const ids = albert.convertTokensToIds(tokens);
      const enc = albert.encode(text, textPair, { maxLength: options.maxLength });
      const out: Record<string, unknown> = { tokens, ids };
      if (textPair !== undefined) {
        const pairTokens = albert.tokenize(textPair);
        out.pair_tokens = pairTokens;
        out.pair_ids = albert.convertTokensToIds(pairTokens);
      }
      out.input_ids = enc.inputIds;
      out.token_type_ids = enc.tokenTypeIds;
      out.attention_mask = enc.attentionMask;
      await write(JSON.stringify(out));
    }
    count++;
  }
  return count;
}

export const command: Command = {
  name: 'tokenize',
  summary: 'tokenize JSON Lines from stdin with a SentencePiece model (plain or HuggingFace ALBERT semantics)',
  async run(argv: string[]): Promise<number> {
    const opts = parseOptions(argv, {
      model: { type: 'string' },
      albert: { type: 'boolean' },
      pair: { type: 'boolean' },
      'max-length': { type: 'string' },
    });
    if (opts.help === true) {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    const modelPath = requireOption(opts.model, 'model');
    const maxLength = opts['max-length'] === undefined ? undefined : intOption(opts['max-length'], 'max-length', 2);
    if (maxLength !== undefined && opts.albert !== true) throw new UsageError('--max-length needs --albert');
    const tokenizer = loadAlbertTokenizer(modelPath);
    // Lines are written 256 at a time; each write waits while stdout's pipe is full.
    let chunks: string[] = [];
    const flush = async (): Promise<void> => {
      if (chunks.length === 0) return;
      const text = chunks.join('');
      chunks = [];
      await writeOutput(text);
    };
    try {
      const options = { tokenizer, albert: opts.albert === true, pair: opts.pair === true, maxLength };
      await tokenizeLines(utf8Lines(process.stdin), options, async (l) => {
        chunks.push(l + '\n');
        if (chunks.length >= 256) await flush();
      });
      await flush();
    } catch (err) {
      // The lines before a bad input line are still delivered, then the error is reported.
      await flush().catch(() => undefined);
      throw err;
    }
    return 0;
  },
};
