// HF model directories as zip files (fflate) and uploads: a zip, or the loose files of a directory. Only the files
// the loader reads are kept, each size-limited before it is inflated, so a hostile zip cannot exhaust memory.
import { unzipSync, zipSync } from 'fflate';
import { HF_CONFIG_FILE, HF_WEIGHTS_FILE } from '@albert-ts/core';
import { SPECIAL_TOKENS_MAP_FILE, SPIECE_FILE, TOKENIZER_CONFIG_FILE } from '@albert-ts/tokenizer';
import { PlaygroundError } from '../errors.js';

/** Files of a HF directory the playground reads (others in an upload are ignored). */
export const KNOWN_FILES = [HF_CONFIG_FILE, HF_WEIGHTS_FILE, SPIECE_FILE, TOKENIZER_CONFIG_FILE, SPECIAL_TOKENS_MAP_FILE];
/** Largest file accepted (a tiny-preset model is a few MB; albert-base is 47 MB). */
export const MAX_FILE_BYTES = 512 * 1024 ** 2;

/** A zip of the files (stored uncompressed: float32 weights hardly compress, and storing is instant). */
export function zipFiles(files: ReadonlyMap<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(files), { level: 0 });
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

/** The HF files in an upload (one zip, or loose files possibly with directory prefixes). */
export function filesFromUpload(upload: readonly { name: string; bytes: Uint8Array }[]): Map<string, Uint8Array> {
  if (upload.length === 0) throw new PlaygroundError('no files were given');
  const entries: { name: string; bytes: Uint8Array }[] = [];
  for (const f of upload) {
    if (!f.name.toLowerCase().endsWith('.zip')) {
      entries.push(f);
      continue;
    }
    let unzipped: Record<string, Uint8Array>;
    try {
      unzipped = unzipSync(f.bytes, {
        filter: (e) => KNOWN_FILES.includes(baseName(e.name)) && e.originalSize <= MAX_FILE_BYTES,
      });
    } catch (e) {
      throw new PlaygroundError(`${f.name} is not a readable zip file (${(e as Error).message.split('\n')[0]})`);
    }
    for (const [name, bytes] of Object.entries(unzipped)) entries.push({ name, bytes });
  }
  const files = new Map<string, Uint8Array>();
  for (const e of entries) {
    const name = baseName(e.name);
    if (!KNOWN_FILES.includes(name)) continue;
    if (e.bytes.length > MAX_FILE_BYTES) throw new PlaygroundError(`${e.name} is larger than ${MAX_FILE_BYTES / 1024 ** 2} MiB`);
    if (files.has(name)) throw new PlaygroundError(`the upload has two ${name} files`);
    files.set(name, e.bytes);
  }
  for (const need of [HF_CONFIG_FILE, HF_WEIGHTS_FILE]) {
    if (!files.has(need)) {
      throw new PlaygroundError(`the upload has no ${need} (a HF model directory needs config.json and model.safetensors)`);
    }
  }
  return files;
}
