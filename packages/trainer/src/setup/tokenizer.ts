import fs from 'node:fs';
import { AlbertTokenizer, trainSentencePiece } from '@albert-ts/tokenizer';
import type { PieceTokenizer, TextDocument } from '@albert-ts/data';
import { TrainerError } from '../errors.js';

/** A tokenizer with the bytes of its `.model` file (copied into every checkpoint as `spiece.model`). */
export interface LoadedTokenizer {
  readonly tokenizer: AlbertTokenizer;
  readonly modelBytes: Uint8Array;
}

/** Loads a SentencePiece `.model` file as an HF-semantics ALBERT tokenizer. */
export function loadTokenizer(file: string): LoadedTokenizer {
  if (!fs.existsSync(file)) throw new TrainerError(`vocab: file '${file}' does not exist`);
  const modelBytes = new Uint8Array(fs.readFileSync(file));
  return { tokenizer: AlbertTokenizer.fromBytes(modelBytes), modelBytes };
}

/**
 * Trains a unigram vocabulary of `vocabSize` pieces on the documents' sentences with ALBERT's `spm_train` flags
 * (ALBERT-preprocessed text, as the fixtures' vocabularies were made).
 */
export function trainTokenizer(docs: readonly TextDocument[], vocabSize: number): LoadedTokenizer {
  const lines: string[] = [];
  for (const d of docs) for (const s of d.sentences) lines.push(albertClean(s));
  const { bytes } = trainSentencePiece(lines, { vocabSize });
  return { tokenizer: AlbertTokenizer.fromBytes(bytes), modelBytes: bytes };
}

/** Adapts an {@link AlbertTokenizer} to the instance builder's {@link PieceTokenizer}. */
export function pieceTokenizer(tok: AlbertTokenizer): PieceTokenizer {
  return {
    vocabSize: tok.vocabSize,
    encode: (text: string) => tok.encodeIds(text),
    idToPiece: (id: number) => tok.sp.idToPiece(id),
    specialIds: { cls: tok.clsTokenId, sep: tok.sepTokenId, mask: tok.maskTokenId, pad: tok.padTokenId },
    isSpecial: (id: number) => tok.sp.isControl(id) || tok.sp.isUnknown(id),
  };
}

/** ALBERT's preprocessing for vocabulary training: collapse whitespace, `` and '' to ", strip accents, lower-case. */
function albertClean(s: string): string {
  return s.trim().split(/\s+/).join(' ').replaceAll('``', '"').replaceAll("''", '"')
    .normalize('NFKD').replace(/\p{Mn}/gu, '').toLowerCase();
}
