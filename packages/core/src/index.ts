// Registers tfjs-core's gradients on the shared tfjs-core instance (see tooling/scripts/gen-tfjs-gradients.mjs).
import './tf/register-gradients.generated.js';

export { ConfigError, CheckpointError } from './errors.js';
export { AlbertError, type AlbertErrorOptions } from '@albert-ts/errors';
export {
  type AlbertConfig, type HiddenAct, HIDDEN_ACTS, HF_FIELD, HF_DEFAULTS, MAX_DIMENSION, MAX_PARAMETERS,
  validateConfig, configFromHf, configToHf, withOverrides,
} from './config/albert-config.js';
export { type PresetName, PRESETS, PRESET_NAMES, isPresetName, presetConfig } from './config/presets.js';

export { type Part, type SharingStrategy, hfGroupOf } from './interfaces/sharing.js';
export type {
  EmbeddingInputs, EmbeddingModule, EmbeddingLayer, EmbeddingParamCount,
} from './interfaces/embedding.js';
export type {
  Objective, ObjectiveHead, ObjectiveResult, ObjectiveBuildContext, EncoderOutputs,
} from './interfaces/objective.js';
export type { PretrainingBatch } from './interfaces/batch.js';

export {
  type ParamInit, type ParamLayout, type ParameterFactory, type ParamInfo, ParameterStore,
} from './params/parameter-store.js';
export { type ApplyContext, createApplyContext } from './params/apply-context.js';
export { SeedStream, deriveSeed, hashString } from './params/seed.js';

export {
  FUSED_KERNELS, type AdamUpdateAttrs, hasKernels, runKernel, withGradient, layerNorm, multiHeadAttention, softmaxCrossEntropy,
} from './ops/index.js';

export { Linear } from './layers/linear.js';
export { LayerNorm } from './layers/layer-norm.js';
export { activation, gelu, geluNew, silu } from './layers/activations.js';
export { AlbertAttention, additiveMask, FLOAT32_MIN } from './layers/attention.js';
export { AlbertFeedForward } from './layers/feed-forward.js';

export { configSharing, grouped, groupedFromName } from './model/grouped.js';
export { type SharingPlan, planSharing, hfGroupsOf } from './model/sharing-plan.js';
export { AlbertEncoder, layerPrefix } from './model/encoder.js';
export { AlbertPooler } from './model/pooler.js';
export {
  AlbertModel, createAlbert, type AlbertModelOptions, type AlbertInputs, type ApplyOptions, type AlbertOutputs,
} from './model/albert-model.js';
export {
  AlbertForPreTraining, createPretrainingModel, type PretrainingModelOptions, type ComputeOptions,
  type PretrainingResult,
} from './model/pretraining-model.js';

export {
  type CountParamsOptions, type ParamCounts, countParams, factorizedEmbeddingCount, attentionParamCount,
  ffnParamCount, pretrainingHeadsCount,
} from './count/count-params.js';

export {
  readSafetensors, writeSafetensors, parseSafetensorsHeader, decodeSafetensor, MAX_SAFETENSORS_HEADER_BYTES,
  type SafetensorsDtype, type SafetensorsEntry, type SafetensorsHeader, type SafetensorsTensor, type TensorData,
} from './checkpoint/safetensors.js';

export {
  type HfTensor, type HfCheckpoint, type ToHfOptions, type FromHfOptions, type HfCheckpointContents,
  SHARING_KEY, PROJECTION_KEY, toHfCheckpoint, loadHfTensors, modelFromHf, sharingFromHfConfig, describeHfTensors,
} from './checkpoint/hf-names.js';

export {
  type HfFiles, type HfFilesOptions, HF_CONFIG_FILE, parseHfConfigJson, modelFromHfFiles, hfModelFiles,
} from './checkpoint/hf-files.js';
export {
  HF_WEIGHTS_FILE, HF_WEIGHTS_INDEX_FILE, readHfWeights, type HfFileSource,
} from './checkpoint/hf-weights.js';
