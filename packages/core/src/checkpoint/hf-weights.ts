// The weights of a HuggingFace model directory, wherever its files come from (disk in Node, memory in browsers):
// `model.safetensors`, or a sharded `model.safetensors.index.json` with its shard files.
import { CheckpointError } from '../errors.js';
import { readSafetensors, type SafetensorsTensor } from './safetensors.js';

/** `model.safetensors` of a HF model directory. */
export const HF_WEIGHTS_FILE = 'model.safetensors';
/** The index of a sharded checkpoint (`save_pretrained(..., max_shard_size=...)`). */
export const HF_WEIGHTS_INDEX_FILE = 'model.safetensors.index.json';

/** Weight formats HF writes that are not read here (pickles, TensorFlow, Flax), with what they are. */
const UNREAD_FORMATS: ReadonlyArray<readonly [string, string]> = [
  ['pytorch_model.bin', 'a PyTorch pickle'],
  ['pytorch_model.bin.index.json', 'a sharded PyTorch pickle'],
  ['tf_model.h5', 'a TensorFlow/Keras file'],
  ['flax_model.msgpack', 'a Flax file'],
];

/** Largest checkpoint read (8 GiB, all shards together). */
export const MAX_CHECKPOINT_BYTES = 8 * 1024 ** 3;

/** Access to the files of a directory: their bytes (undefined when absent) and, where cheap, their sizes. */
export interface HfFileSource {
  has(name: string): boolean;
  read(name: string): Uint8Array;
  /** Size in bytes, to refuse oversized shard sets before reading them (optional). */
  size?(name: string): number;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function parseSafetensors(bytes: Uint8Array, file: string): Map<string, SafetensorsTensor> {
  try {
    return readSafetensors(bytes);
  } catch (err) {
    if (err instanceof CheckpointError) throw new CheckpointError(`${file}: ${err.message}`);
    throw err;
  }
}

/**
 * Reads a sharded checkpoint: the index's `weight_map` (tensor name → shard file) and each shard once. Shard names
 * must be plain `.safetensors` file names of the directory; every tensor must be in the shard the index names, and
 * no shard may hold a tensor the index does not list.
 */
function readSharded(src: HfFileSource, where: string): Map<string, SafetensorsTensor> {
  const indexName = `${where}/${HF_WEIGHTS_INDEX_FILE}`;
  let index: unknown;
  try {
    index = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(src.read(HF_WEIGHTS_INDEX_FILE)));
  } catch (e) {
    throw new CheckpointError(`${indexName} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const weightMap = isRecord(index) ? index.weight_map : undefined;
  if (!isRecord(weightMap) || Object.keys(weightMap).length === 0) {
    throw new CheckpointError(`${indexName}: weight_map must be a non-empty object {tensor name: shard file}`);
  }
  const byShard = new Map<string, string[]>();
  for (const [name, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || !/^[\w.-]+\.safetensors$/.test(shard) || shard.startsWith('.')) {
      throw new CheckpointError(`${indexName}: weight_map["${name}"]=${JSON.stringify(shard)} is not a .safetensors file name in the directory`);
    }
    byShard.set(shard, [...(byShard.get(shard) ?? []), name]);
  }
  for (const shard of byShard.keys()) {
    if (!src.has(shard)) throw new CheckpointError(`shard ${shard} of ${indexName} not found in ${where}`);
  }
  if (src.size !== undefined) {
    let total = 0;
    for (const shard of byShard.keys()) total += src.size(shard);
    if (total > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`${where}: the shards of ${HF_WEIGHTS_INDEX_FILE} total more than 8 GiB`);
  }
  const tensors = new Map<string, SafetensorsTensor>();
  for (const [shard, names] of byShard) {
    const content = parseSafetensors(src.read(shard), `${where}/${shard}`);
    for (const name of names) {
      const t = content.get(name);
      if (t === undefined) throw new CheckpointError(`${where}/${shard}: has no tensor "${name}", which ${HF_WEIGHTS_INDEX_FILE} places there`);
      tensors.set(name, t);
    }
    for (const name of content.keys()) {
      if (weightMap[name] !== shard) throw new CheckpointError(`${where}/${shard}: tensor "${name}" is not listed for this shard in ${HF_WEIGHTS_INDEX_FILE}`);
    }
  }
  return tensors;
}

/**
 * The tensors of a HF model directory: `model.safetensors`, or `model.safetensors.index.json` with its shards. A
 * directory holding only weights in a format not read here (`pytorch_model.bin`, `tf_model.h5`, ...) gets a
 * one-line {@link CheckpointError} saying how to convert it. `where` names the directory in errors.
 */
export function readHfWeights(src: HfFileSource, where: string): Map<string, SafetensorsTensor> {
  if (src.has(HF_WEIGHTS_FILE)) return parseSafetensors(src.read(HF_WEIGHTS_FILE), `${where}/${HF_WEIGHTS_FILE}`);
  if (src.has(HF_WEIGHTS_INDEX_FILE)) return readSharded(src, where);
  const other = UNREAD_FORMATS.find(([f]) => src.has(f));
  if (other !== undefined) {
    throw new CheckpointError(`only ${other[0]} (${other[1]}) in ${where}, which albert-ts does not read; convert it to `
      + 'safetensors in Python: AutoModel.from_pretrained(dir).save_pretrained(dir, safe_serialization=True)');
  }
  throw new CheckpointError(`no ${HF_WEIGHTS_FILE} (nor ${HF_WEIGHTS_INDEX_FILE}) in ${where}`);
}
