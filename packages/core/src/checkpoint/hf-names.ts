// The one module that maps our canonical parameter names and layouts to HuggingFace checkpoint names and back.
//
// Canonical names are HF `AlbertModel` names (`embeddings.*`, `encoder.*`, `pooler.*`) and head names
// (`predictions.*`, `sop_classifier.*`). Differences handled here:
//   - `albert.` prefix: AlbertForPreTraining files prefix backbone names; AlbertModel files do not.
//   - Linear weights: ours `[in, out]`, torch `[out, in]` (transposed on save and load).
//   - Layer groups: our encoder names `albert_layer_groups.{slot}` by sharing slot per part. A file with G groups
//     maps layer i to group floor(i / (L / G)). A strategy HF cannot express (e.g. shared-attention) is saved as
//     L groups (not-shared layout, shared weights duplicated) plus `albert_ts_sharing` in config.json, which our
//     loader turns back into the same sharing.
//   - Tied duplicates `predictions.decoder.{weight,bias}`: written by default, accepted or absent on load.
//   - Projection skipped (E = H, projection 'auto'): saved as an identity `embedding_hidden_mapping_in` with zero
//     bias, so HF computes the same function; loading such a file into a model with a projection loads the identity.
import type { AlbertConfig } from '../config/albert-config.js';
import { configFromHf, configToHf } from '../config/albert-config.js';
import { CheckpointError, ConfigError } from '../errors.js';
import type { EmbeddingModule } from '../interfaces/embedding.js';
import type { Objective } from '../interfaces/objective.js';
import { hfGroupOf, type Part, type SharingStrategy } from '../interfaces/sharing.js';
import { AlbertModel } from '../model/albert-model.js';
import { configSharing } from '../model/grouped.js';
import { AlbertForPreTraining } from '../model/pretraining-model.js';
import { hfGroupsOf, type SharingPlan } from '../model/sharing-plan.js';
import type { ParamInfo } from '../params/parameter-store.js';
import { countParams, type CountParamsOptions } from '../count/count-params.js';
import * as tf from '@tensorflow/tfjs-core';

/** A float32 tensor in torch layout. */
export interface HfTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** config.json key recording a sharing that HF's groups cannot express. */
export const SHARING_KEY = 'albert_ts_sharing';
/** config.json key recording that the model has no E→H projection (saved as identity). */
export const PROJECTION_KEY = 'albert_ts_projection';

const HEAD_PREFIXES = ['predictions.', 'sop_classifier.', 'classifier.', 'qa_outputs.'];
const TIED = { weight: 'predictions.decoder.weight', bias: 'predictions.decoder.bias' } as const;
const BUFFERS = new Set(['embeddings.position_ids', 'embeddings.token_type_ids']);
const GROUP_RE = /^encoder\.albert_layer_groups\.(\d+)\.albert_layers\.(\d+)\.(.+)$/;

/** Options of {@link toHfCheckpoint}. */
export interface ToHfOptions {
  /** Write `predictions.decoder.{weight,bias}` (default true, like `AlbertForPreTraining.state_dict()`). */
  readonly tiedDuplicates?: boolean;
}

/** A model in HF form: `config.json` contents and the state dict (torch names and layouts). */
export interface HfCheckpoint {
  readonly config: Record<string, unknown>;
  readonly tensors: Map<string, HfTensor>;
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  }
  return out;
}

/** Our value → torch layout. */
function toTorch(info: ParamInfo): HfTensor {
  const data = info.variable.dataSync() as Float32Array;
  const shape = info.variable.shape;
  if (info.layout === 'linear') {
    const [inF, outF] = shape;
    return { shape: [outF, inF], data: transpose2d(data, inF, outF) };
  }
  return { shape: [...shape], data: Float32Array.from(data) };
}

function partOf(rest: string): Part {
  return rest.startsWith('attention.') ? 'attention' : 'ffn';
}

function layersUsing(plan: SharingPlan, part: Part, slot: number): number[] {
  const out: number[] = [];
  plan.slotOf[part].forEach((s, i) => { if (s === slot) out.push(i); });
  return out;
}

function splitModel(model: AlbertModel | AlbertForPreTraining): { albert: AlbertModel; heads: ParamInfo[] } {
  return model instanceof AlbertForPreTraining
    ? { albert: model.albert, heads: model.headStore.infos() }
    : { albert: model, heads: [] };
}

/**
 * Converts a model to HF form: `config.json` and the state dict of `AlbertForPreTraining` (for an
 * {@link AlbertForPreTraining}) or `AlbertModel` (no prefix, for an {@link AlbertModel}).
 */
export function toHfCheckpoint(model: AlbertModel | AlbertForPreTraining, opts: ToHfOptions = {}): HfCheckpoint {
  const { albert, heads } = splitModel(model);
  const prefix = model instanceof AlbertForPreTraining ? 'albert.' : '';
  const plan = albert.sharingPlan;
  const groups = hfGroupsOf(plan);
  const config: Record<string, unknown> = {
    ...configToHf(albert.config),
    architectures: [model instanceof AlbertForPreTraining ? 'AlbertForPreTraining' : 'AlbertModel'],
    num_hidden_groups: groups ?? plan.numLayers,
    inner_group_num: plan.innerGroupNum,
  };
  if (groups === undefined) {
    config[SHARING_KEY] = { name: plan.name, attention: [...plan.slotOf.attention], ffn: [...plan.slotOf.ffn] };
  }
  const tensors = new Map<string, HfTensor>();
  for (const info of albert.store.infos()) {
    const m = GROUP_RE.exec(info.name);
    const t = toTorch(info);
    if (!m) {
      tensors.set(prefix + info.name, t);
      continue;
    }
    const [, slotStr, inner, rest] = m;
    const slot = Number(slotStr);
    const fileGroups = groups !== undefined ? [slot] : layersUsing(plan, partOf(rest), slot);
    for (const g of fileGroups) {
      tensors.set(`${prefix}encoder.albert_layer_groups.${g}.albert_layers.${inner}.${rest}`, t);
    }
  }
  if (!albert.embeddings.hasProjection) {
    // E = H: an identity mapping with zero bias computes exactly the same function in HF.
    const h = albert.config.hiddenSize;
    const eye = new Float32Array(h * h);
    for (let i = 0; i < h; i++) eye[i * h + i] = 1;
    tensors.set(`${prefix}encoder.embedding_hidden_mapping_in.weight`, { shape: [h, h], data: eye });
    tensors.set(`${prefix}encoder.embedding_hidden_mapping_in.bias`, { shape: [h], data: new Float32Array(h) });
    config[PROJECTION_KEY] = 'none';
  }
  for (const info of heads) tensors.set(info.name, toTorch(info));
  if ((opts.tiedDuplicates ?? true) && tensors.has('predictions.bias')) {
    tensors.set(TIED.weight, tensors.get(`${prefix}embeddings.word_embeddings.weight`)!);
    tensors.set(TIED.bias, tensors.get('predictions.bias')!);
  }
  return { config, tensors };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * The sharing a config.json describes: the `albert_ts_sharing` table when present (written by
 * {@link toHfCheckpoint}), else HF groups. Throws {@link ConfigError} for a malformed table.
 */
export function sharingFromHfConfig(json: Record<string, unknown>, config: AlbertConfig): SharingStrategy {
  const table = json[SHARING_KEY];
  if (table === undefined || table === null) return configSharing(config);
  const L = config.numHiddenLayers;
  if (!isRecord(table)) throw new ConfigError(SHARING_KEY, table, 'must be an object {name, attention, ffn}');
  const lists = {} as Record<Part, number[]>;
  for (const part of ['attention', 'ffn'] as const) {
    const list = table[part];
    if (!Array.isArray(list) || list.length !== L || !list.every((s) => Number.isInteger(s) && s >= 0 && s < L)) {
      throw new ConfigError(`${SHARING_KEY}.${part}`, list, `must be ${L} integers in [0, ${L})`);
    }
    lists[part] = list as number[];
  }
  const name = typeof table['name'] === 'string' ? table['name'] : 'table';
  return {
    name,
    innerGroupNum: config.innerGroupNum,
    slots: (part) => Math.max(...lists[part]) + 1,
    slotOf: (part, layer) => lists[part][layer],
  };
}

/** Which parts an HF state dict contains (after removing an `albert.` prefix). */
export interface HfCheckpointContents {
  /** Backbone names carried the `albert.` prefix (AlbertForPreTraining / task-head file). */
  readonly prefixed: boolean;
  readonly hasPooler: boolean;
  /** `predictions.*` (MLM head) present. */
  readonly hasMlmHead: boolean;
  /** `sop_classifier.*` present. */
  readonly hasSopHead: boolean;
}

/** Describes the contents of a state dict from its tensor names. */
export function describeHfTensors(names: Iterable<string>): HfCheckpointContents {
  let prefixed = false;
  let hasPooler = false;
  let hasMlmHead = false;
  let hasSopHead = false;
  for (const n of names) {
    if (n.startsWith('albert.')) prefixed = true;
    const s = n.startsWith('albert.') ? n.slice(7) : n;
    if (s.startsWith('pooler.')) hasPooler = true;
    if (s.startsWith('predictions.')) hasMlmHead = true;
    if (s.startsWith('sop_classifier.')) hasSopHead = true;
  }
  return { prefixed, hasPooler, hasMlmHead, hasSopHead };
}

function sameData(a: HfTensor, b: HfTensor): boolean {
  if (a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return false;
  return true;
}

function shapeStr(s: readonly number[]): string {
  return `[${s.join(',')}]`;
}

/**
 * Copies an HF state dict into a model's variables (transposing Linear weights). `fileGroups` is the
 * `num_hidden_groups` the file was written with. Accepts names with or without `albert.`, with or without the tied
 * duplicates; ignores head tensors the model has no head for (as HF does); throws {@link CheckpointError} for a
 * missing tensor, an unexpected tensor, a shape mismatch, or shared slots whose file copies differ.
 */
export function loadHfTensors(
  model: AlbertModel | AlbertForPreTraining, tensors: ReadonlyMap<string, HfTensor>, fileGroups: number,
): void {
  const { albert, heads } = splitModel(model);
  const plan = albert.sharingPlan;
  const L = plan.numLayers;
  if (!Number.isInteger(fileGroups) || fileGroups < 1 || L % fileGroups !== 0) {
    throw new CheckpointError(`num_hidden_groups=${fileGroups} does not divide num_hidden_layers=${L}`);
  }
  const file = new Map<string, HfTensor>();
  for (const [name, t] of tensors) {
    const key = name.startsWith('albert.') ? name.slice(7) : name;
    if (file.has(key)) throw new CheckpointError(`tensor "${key}" appears both with and without the albert. prefix`);
    file.set(key, t);
  }
  const used = new Set<string>();
  const values = new Map<ParamInfo, HfTensor>();
  const take = (key: string): HfTensor => {
    const t = file.get(key);
    if (!t) throw new CheckpointError(`missing tensor "${key}"`);
    used.add(key);
    return t;
  };
  for (const info of albert.store.infos()) {
    const m = GROUP_RE.exec(info.name);
    if (!m) {
      values.set(info, take(info.name));
      continue;
    }
    const [, slotStr, inner, rest] = m;
    const groups = [...new Set(layersUsing(plan, partOf(rest), Number(slotStr)).map((i) => hfGroupOf(i, L, fileGroups)))];
    const keys = groups.map((g) => `encoder.albert_layer_groups.${g}.albert_layers.${inner}.${rest}`);
    const first = take(keys[0]);
    for (const k of keys.slice(1)) {
      if (!sameData(first, take(k))) {
        throw new CheckpointError(`"${keys[0]}" and "${k}" differ but sharing "${plan.name}" uses one parameter for both`);
      }
    }
    values.set(info, first);
  }
  for (const info of heads) {
    // Some files carry the MLM bias only as its tied alias.
    const alias = info.name === 'predictions.bias' && !file.has(info.name) && file.has(TIED.bias) ? TIED.bias : info.name;
    values.set(info, take(alias));
  }
  // A model without projection accepts the identity mapping that toHfCheckpoint writes.
  if (!albert.embeddings.hasProjection) {
    const w = file.get('encoder.embedding_hidden_mapping_in.weight');
    const b = file.get('encoder.embedding_hidden_mapping_in.bias');
    if (w || b) {
      const h = albert.config.hiddenSize;
      const isEye = !!w && w.shape.length === 2 && w.shape[0] === h && w.shape[1] === h
        && w.data.every((v, i) => v === (Math.floor(i / h) === i % h ? 1 : 0));
      if (!isEye || !b || !b.data.every((v) => v === 0)) {
        throw new CheckpointError('embedding_hidden_mapping_in is not an identity, but the embedding module has no '
          + 'projection; load with factorized({ projection: "always" })');
      }
      used.add('encoder.embedding_hidden_mapping_in.weight');
      used.add('encoder.embedding_hidden_mapping_in.bias');
    }
  }
  for (const key of file.keys()) {
    if (used.has(key)) continue;
    if (key === TIED.weight || key === TIED.bias) continue; // tied duplicates: the model ties them itself
    if (BUFFERS.has(key)) continue; // non-persistent buffers older transformers versions saved
    if (HEAD_PREFIXES.some((p) => key.startsWith(p))) continue; // heads this model does not build (HF ignores them)
    if (key.startsWith('pooler.') && !albert.pooler) continue;
    throw new CheckpointError(`unexpected tensor "${key}" (not a parameter of this model)`);
  }
  // Check every shape before touching any variable.
  for (const [info, t] of values) {
    const shape = info.variable.shape as number[];
    const want = info.layout === 'linear' ? [shape[1], shape[0]] : shape;
    if (shapeStr(t.shape) !== shapeStr(want)) {
      throw new CheckpointError(`tensor "${info.name}" has shape ${shapeStr(t.shape)}, the model expects ${shapeStr(want)}`);
    }
  }
  for (const [info, t] of values) {
    const data = info.layout === 'linear' ? transpose2d(t.data, t.shape[0], t.shape[1]) : t.data;
    tf.tidy(() => info.variable.assign(tf.tensor(data, info.variable.shape, 'float32')));
  }
}

/**
 * Refuses, before any variable is allocated, a config that describes more parameters than the file can supply
 * (a group tensor can feed at most L / G layers), so a hostile config.json cannot trigger a huge allocation.
 */
function checkFileCanFill(
  config: AlbertConfig, tensors: ReadonlyMap<string, HfTensor>, opts: Omit<CountParamsOptions, 'head'>,
): void {
  const reuse = config.numHiddenLayers / config.numHiddenGroups;
  let available = 0;
  for (const [name, t] of tensors) {
    const key = name.startsWith('albert.') ? name.slice(7) : name;
    if (key === TIED.weight) continue;
    available += t.data.length * (GROUP_RE.test(key) ? reuse : 1);
  }
  const needed = countParams(config, opts).total;
  if (needed > available) {
    throw new CheckpointError(`config.json describes ${needed} parameters but model.safetensors holds only ${available} values`);
  }
}

/** Options of {@link modelFromHf}. */
export interface FromHfOptions {
  /** Embedding module, e.g. `factorized()` (HF layout always has the projection). */
  readonly embeddings: EmbeddingModule;
  /** Heads to build and load (e.g. `[mlm(), sop()]`); without, an {@link AlbertModel} is returned. */
  readonly objectives?: readonly Objective[];
  /** Sharing to build; default: from config.json (`albert_ts_sharing` or HF groups). */
  readonly sharing?: SharingStrategy;
  /** Build the pooler; default: whether the file has `pooler.*`. */
  readonly addPoolingLayer?: boolean;
}

/**
 * Builds a model from HF `config.json` contents and a state dict. Returns an {@link AlbertForPreTraining} when
 * `objectives` are given, else an {@link AlbertModel}.
 */
export function modelFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, opts: FromHfOptions & { objectives: readonly Objective[] },
): AlbertForPreTraining;
export function modelFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, opts: FromHfOptions & { objectives?: undefined },
): AlbertModel;
export function modelFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, opts: FromHfOptions,
): AlbertModel | AlbertForPreTraining;
export function modelFromHf(
  configJson: unknown, tensors: ReadonlyMap<string, HfTensor>, opts: FromHfOptions,
): AlbertModel | AlbertForPreTraining {
  const config = configFromHf(configJson);
  const json = configJson as Record<string, unknown>;
  const sharing = opts.sharing ?? sharingFromHfConfig(json, config);
  const addPoolingLayer = opts.addPoolingLayer ?? describeHfTensors(tensors.keys()).hasPooler;
  checkFileCanFill(config, tensors, { embeddings: opts.embeddings, sharing, objectives: opts.objectives, addPoolingLayer });
  const base = { embeddings: opts.embeddings, sharing, addPoolingLayer };
  const model = opts.objectives
    ? new AlbertForPreTraining(config, { ...base, objectives: opts.objectives })
    : new AlbertModel(config, base);
  try {
    loadHfTensors(model, tensors, config.numHiddenGroups);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
