// Safetensors reader and writer on plain bytes (no Node APIs, so it also runs in browsers).
//
// Layout: 8 bytes little-endian u64 header length N, then N bytes of UTF-8 JSON, then the data section.
// The header maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} with offsets relative to
// the data section; the optional "__metadata__" key maps strings to strings. See
// https://github.com/huggingface/safetensors#format.

import { formatValue } from '@albert-ts/errors';
import { CheckpointError } from '../errors.js';
import {
  DTYPE_SIZE, UNSUPPORTED_DTYPES, decodeToFloat32, encodeFloat32, isSupportedDtype,
  type SafetensorsDtype,
} from './dtype.js';

export type { SafetensorsDtype } from './dtype.js';

/** Largest header accepted by the reader, as in the reference Rust implementation (100 MB). */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

const METADATA_KEY = '__metadata__';

/** One tensor's entry in a validated safetensors header. */
export interface SafetensorsEntry {
  readonly dtype: SafetensorsDtype;
  readonly shape: number[];
  /** Byte range `[begin, end)` relative to the start of the data section. */
  readonly dataOffsets: readonly [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
  /** The `__metadata__` string map (empty when absent). */
  readonly metadata: Record<string, string>;
  /** Tensor entries, sorted by name. */
  readonly tensors: Map<string, SafetensorsEntry>;
  /** Absolute byte offset of the data section in the file (8 + header length). */
  readonly dataStart: number;
}

/** A decoded tensor: its stored dtype and shape, and its values upcast (or copied) to float32. */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: number[];
  readonly data: Float32Array;
}

/** A float32 tensor to write. `data.length` must equal the product of `shape`. */
export interface TensorData {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Parses and validates the header of a safetensors file without decoding any tensor.
 *
 * Every structural problem is a {@link CheckpointError} with a one-line message: a file shorter than 8 bytes, a
 * header length over 100 MB or past the end of the file, a header that is not UTF-8 JSON or not an object, an
 * unknown or unsupported dtype, negative or non-integer shape dimensions or offsets, offsets out of range, a shape
 * that does not match the byte length, tensors that overlap or leave gaps, and bytes after the last tensor.
 */
export function parseSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  if (!(bytes instanceof Uint8Array)) {
    throw new CheckpointError('safetensors: expected the file contents as a Uint8Array');
  }
  if (bytes.byteLength < 8) {
    throw new CheckpointError(
      `safetensors: file is ${bytes.byteLength} bytes, too short for the 8-byte header length (truncated file?)`);
  }
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
    throw new CheckpointError(
      `safetensors: header length ${headerLength} exceeds the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`);
  }
  const n = Number(headerLength);
  if (8 + n > bytes.byteLength) {
    throw new CheckpointError(
      `safetensors: header length ${n} runs past the end of the ${bytes.byteLength}-byte file (truncated file?)`);
  }
  const dataStart = 8 + n;
  const dataLength = bytes.byteLength - dataStart;

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    throw new CheckpointError('safetensors: header is not valid UTF-8');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CheckpointError(`safetensors: header is not valid JSON (${truncate(reason, 100)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CheckpointError(`safetensors: header must be a JSON object, got ${describeJson(json)}`);
  }

  let metadata: Record<string, string> = {};
  const entries: [string, SafetensorsEntry][] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      metadata = parseMetadata(raw);
      continue;
    }
    entries.push([name, parseEntry(name, raw, dataLength)]);
  }
  checkLayout(entries, dataLength);

  entries.sort((a, b) => compareNames(a[0], b[0]));
  return { metadata, tensors: new Map(entries), dataStart };
}

/**
 * Reads a safetensors file from its bytes: every tensor, by name (sorted), decoded to a new Float32Array.
 *
 * F32 is copied bit-exactly; F16 and BF16 are upcast exactly; F64 and the integer dtypes (I64, I32, I16, I8, U64,
 * U32, U16, U8, BOOL) round to the nearest float32. The input is validated first (see
 * {@link parseSafetensorsHeader}), so no allocation exceeds what the file's bytes justify.
 *
 * @throws CheckpointError on a malformed, truncated or hostile file.
 */
export function readSafetensors(bytes: Uint8Array): Map<string, SafetensorsTensor> {
  const header = parseSafetensorsHeader(bytes);
  const out = new Map<string, SafetensorsTensor>();
  for (const name of header.tensors.keys()) {
    out.set(name, decodeSafetensor(bytes, header, name));
  }
  return out;
}

/** Decodes one tensor of a parsed file (lets a loader skip tensors it does not need). */
export function decodeSafetensor(bytes: Uint8Array, header: SafetensorsHeader, name: string): SafetensorsTensor {
  const entry = header.tensors.get(name);
  if (entry === undefined) throw new CheckpointError(`safetensors: no tensor named ${formatValue(name, 120)}`);
  const [begin, end] = entry.dataOffsets;
  const raw = bytes.subarray(header.dataStart + begin, header.dataStart + end);
  const count = (end - begin) / DTYPE_SIZE[entry.dtype];
  return { dtype: entry.dtype, shape: [...entry.shape], data: decodeToFloat32(raw, entry.dtype, count) };
}

/**
 * Serializes float32 tensors to safetensors bytes: tensors sorted by name, stored contiguously in that order, the
 * compact JSON header padded with spaces to a multiple of 8 bytes, `__metadata__` first when given (HF files use
 * `{"format": "pt"}`).
 *
 * @throws CheckpointError when a shape is invalid or does not match its data length, or a name is reserved.
 */
export function writeSafetensors(
  tensors: Map<string, TensorData> | ReadonlyMap<string, TensorData> | Record<string, TensorData>,
  metadata?: Record<string, string>,
): Uint8Array {
  const list: [string, TensorData][] = tensors instanceof Map
    ? [...(tensors as ReadonlyMap<string, TensorData>).entries()]
    : Object.entries(tensors as Record<string, TensorData>);
  list.sort((a, b) => compareNames(a[0], b[0]));

  const parts: string[] = [];
  if (metadata !== undefined) {
    const fields: string[] = [];
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new CheckpointError(`safetensors: metadata value for ${JSON.stringify(key)} must be a string`);
      }
      fields.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
    }
    parts.push(`"${METADATA_KEY}":{${fields.join(',')}}`);
  }
  let offset = 0;
  for (const [name, tensor] of list) {
    if (name === METADATA_KEY) throw new CheckpointError(`safetensors: tensor name ${METADATA_KEY} is reserved`);
    if (!(tensor?.data instanceof Float32Array)) {
      throw new CheckpointError(`safetensors: tensor ${JSON.stringify(name)} data must be a Float32Array`);
    }
    const shape = [...tensor.shape];
    let numel = 1;
    for (const d of shape) {
      if (!Number.isSafeInteger(d) || d < 0) {
        throw new CheckpointError(
          `safetensors: tensor ${JSON.stringify(name)} shape ${JSON.stringify(shape)} has an invalid dimension ${d}`);
      }
      numel *= d;
    }
    if (numel !== tensor.data.length) {
      throw new CheckpointError(`safetensors: tensor ${JSON.stringify(name)} shape ${JSON.stringify(shape)} ` +
        `has ${numel} elements but its data has ${tensor.data.length}`);
    }
    const end = offset + 4 * numel;
    parts.push(`${JSON.stringify(name)}:{"dtype":"F32","shape":${JSON.stringify(shape)},` +
      `"data_offsets":[${offset},${end}]}`);
    offset = end;
  }

  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.byteLength, 8 + headerLength); // pad with spaces
  let cursor = 8 + headerLength;
  for (const [, tensor] of list) {
    encodeFloat32(tensor.data, out.subarray(cursor, cursor + tensor.data.byteLength));
    cursor += tensor.data.byteLength;
  }
  return out;
}

function parseMetadata(raw: unknown): Record<string, string> {
  if (raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CheckpointError(`safetensors: ${METADATA_KEY} must be an object of strings, got ${describeJson(raw)}`);
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new CheckpointError(
        `safetensors: ${METADATA_KEY}.${key} must be a string, got ${describeJson(value)}`);
    }
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function parseEntry(name: string, raw: unknown, dataLength: number): SafetensorsEntry {
  const label = `safetensors: tensor ${JSON.stringify(truncate(name, 120))}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CheckpointError(`${label}: entry must be an object, got ${describeJson(raw)}`);
  }
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') {
    throw new CheckpointError(`${label}: dtype must be a string, got ${describeJson(dtype)}`);
  }
  if (!isSupportedDtype(dtype)) {
    const supported = Object.keys(DTYPE_SIZE).join(', ');
    throw new CheckpointError(UNSUPPORTED_DTYPES.has(dtype)
      ? `${label}: dtype ${dtype} is not supported (supported: ${supported})`
      : `${label}: unknown dtype ${JSON.stringify(truncate(dtype, 40))} (supported: ${supported})`);
  }
  if (!Array.isArray(shape)) {
    throw new CheckpointError(`${label}: shape must be an array, got ${describeJson(shape)}`);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new CheckpointError(
        `${label}: shape ${formatValue(shape, 80)} has a negative or non-integer dimension`);
    }
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 ||
      !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)) {
    throw new CheckpointError(
      `${label}: data_offsets must be two non-negative integers, got ${formatValue(offsets, 80)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) {
    throw new CheckpointError(`${label}: data_offsets [${begin},${end}] end before they begin`);
  }
  if (end > dataLength) {
    throw new CheckpointError(
      `${label}: data_offsets [${begin},${end}] out of range (the data section has ${dataLength} bytes)`);
  }
  // Element count, bailing out before it can exceed the byte span (no overflow, no huge numbers).
  const span = end - begin;
  const size = DTYPE_SIZE[dtype];
  let numel = shape.includes(0) ? 0 : 1;
  let tooBig = false;
  for (const d of shape as number[]) {
    if (numel === 0) break;
    numel *= d;
    if (numel > span) { tooBig = true; break; }
  }
  if (tooBig || numel * size !== span) {
    throw new CheckpointError(`${label}: shape ${formatValue(shape, 80)} of ${dtype} needs ` +
      `${tooBig ? `more than ${span}` : numel * size} bytes but data_offsets [${begin},${end}] span ${span}`);
  }
  return { dtype, shape: [...(shape as number[])], dataOffsets: [begin, end] };
}

/** Tensors must tile the data section exactly: no overlap, no gap, no trailing bytes. */
function checkLayout(entries: [string, SafetensorsEntry][], dataLength: number): void {
  const byOffset = [...entries].sort((a, b) =>
    a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1]);
  let cursor = 0;
  let previous = '';
  for (const [name, entry] of byOffset) {
    const [begin, end] = entry.dataOffsets;
    if (begin < cursor) {
      throw new CheckpointError(`safetensors: tensor ${JSON.stringify(truncate(name, 120))} ` +
        `data_offsets [${begin},${end}] overlap tensor ${JSON.stringify(truncate(previous, 120))}`);
    }
    if (begin > cursor) {
      throw new CheckpointError(`safetensors: gap of ${begin - cursor} unused bytes before tensor ` +
        `${JSON.stringify(truncate(name, 120))} at data offset ${cursor}`);
    }
    cursor = end;
    previous = name;
  }
  if (cursor !== dataLength) {
    throw new CheckpointError(`safetensors: the data section has ${dataLength} bytes but the tensors cover ` +
      `${cursor} (truncated or trailing data)`);
  }
}

/** Orders names by Unicode code point (the byte order of their UTF-8 encoding), like the Rust implementation. */
function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
  }
  return a.length - b.length;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${formatValue(value, 40)}`;
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
