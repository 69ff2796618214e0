import fs from 'node:fs';
import path from 'node:path';
import { DataError } from './errors.js';
import type { PretrainingInstance } from './instances.js';
import { readLines } from './readers.js';

/** One JSONL line for an instance: `{"input_ids","token_type_ids","masked_lm_positions","masked_lm_ids","label","doc"}`. */
export function instanceToJson(x: PretrainingInstance): string {
  return JSON.stringify({
    input_ids: x.inputIds,
    token_type_ids: x.tokenTypeIds,
    masked_lm_positions: x.maskedLmPositions,
    masked_lm_ids: x.maskedLmIds,
    label: x.label,
    doc: x.doc,
  });
}

function intArray(v: unknown, field: string, where: string): number[] {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) throw new DataError(`${where}: field ${field} must be an array of integers`);
  return v as number[];
}

/** Parses one JSONL line written by {@link instanceToJson} (`docB` is set to `doc`; it is not serialised). */
export function instanceFromJson(line: string, where = 'instance'): PretrainingInstance {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new DataError(`${where}: not valid JSON`);
  }
  if (o === null || typeof o !== 'object') throw new DataError(`${where}: not a JSON object`);
  const label = o.label;
  if (label !== 0 && label !== 1 && label !== null) throw new DataError(`${where}: field label must be 0, 1 or null, got ${JSON.stringify(label)}`);
  const doc = typeof o.doc === 'string' ? o.doc : '';
  return {
    inputIds: intArray(o.input_ids, 'input_ids', where),
    tokenTypeIds: intArray(o.token_type_ids, 'token_type_ids', where),
    maskedLmPositions: intArray(o.masked_lm_positions, 'masked_lm_positions', where),
    maskedLmIds: intArray(o.masked_lm_ids, 'masked_lm_ids', where),
    label, doc, docB: doc,
  };
}

/** Reads a JSONL instance file (streaming lines; the instances themselves are returned as an array). */
export async function readInstancesJsonl(file: string): Promise<PretrainingInstance[]> {
  const out: PretrainingInstance[] = [];
  let n = 0;
  for await (const line of readLines(file)) {
    n++;
    if (line.trim().length === 0) continue;
    out.push(instanceFromJson(line, `${file}:${n}`));
  }
  return out;
}

/**
 * Serialises instances as JSONL through `write`, in chunks of about 1 MiB (each write is awaited, so a slow sink
 * such as a pipe throttles instance creation instead of filling memory). Returns the count.
 */
export async function streamInstancesJsonl(
  instances: Iterable<PretrainingInstance> | AsyncIterable<PretrainingInstance>, write: (chunk: string) => Promise<unknown>,
): Promise<number> {
  let count = 0;
  let buf: string[] = [];
  let size = 0;
  for await (const x of instances) {
    const line = instanceToJson(x) + '\n';
    buf.push(line);
    size += line.length;
    count++;
    if (size > 1 << 20) { await write(buf.join('')); buf = []; size = 0; }
  }
  if (buf.length > 0) await write(buf.join(''));
  return count;
}

/**
 * Writes instances as JSONL atomically: to a temp file beside `file`, fsync, then rename. Returns the count.
 * Accepts any (sync or async) iterable, so instances are streamed, never all held in memory. A device or FIFO
 * is written in place.
 */
export async function writeInstancesJsonl(file: string, instances: Iterable<PretrainingInstance> | AsyncIterable<PretrainingInstance>): Promise<number> {
  const existing = await fs.promises.stat(file).catch(() => undefined);
  // A device or FIFO (/dev/null, /dev/stdout) is written in place: a rename would replace the device itself.
  const inPlace = existing !== undefined && !existing.isFile() && !existing.isDirectory();
  const tmp = inPlace ? file
    : path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(tmp, 'w');
    const handle = fh;
    const count = await streamInstancesJsonl(instances, (chunk) => handle.write(chunk));
    if (!inPlace) await fh.sync();
    await fh.close();
    fh = undefined;
    if (!inPlace) await fs.promises.rename(tmp, file);
    return count;
  } catch (err) {
    if (fh) await fh.close().catch(() => undefined);
    if (!inPlace) await fs.promises.rm(tmp, { force: true }).catch(() => undefined);
    if (err instanceof DataError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new DataError(`cannot write ${file}: ${code}`);
    throw err;
  }
}
