import { TokenizerError } from '../errors.js';
import { PieceType } from '../proto/index.js';
import type { ResolvedTrainerOptions } from './options.js';

/** A reserved vocabulary entry (unknown, control or user-defined) and its fixed id. */
export interface MetaPiece {
  readonly id: number;
  readonly piece: string;
  readonly type: PieceType;
}

const UNK = '<unk>';
const BOS = '<s>';
const EOS = '</s>';
const PAD = '<pad>';

/**
 * The reserved pieces and their ids, as SentencePiece's `TrainerInterface::InitMetaPieces` assigns them: unk, bos,
 * eos and pad at their configured ids, then control symbols and user-defined symbols at the lowest free ids in
 * order (a symbol named `<s>`/`</s>`/`<pad>` whose id is configured only changes that piece's type).
 */
export function buildMetaPieces(o: ResolvedTrainerOptions): MetaPiece[] {
  const byId = new Map<number, { piece: string; type: PieceType }>();
  const reserve = (id: number, piece: string, field: string): void => {
    if (id < 0) return;
    if (byId.has(id)) {
      throw new TokenizerError(`trainer option ${field}=${id} is already used by ${byId.get(id)!.piece}`);
    }
    byId.set(id, { piece, type: piece === UNK ? PieceType.UNKNOWN : PieceType.CONTROL });
  };
  reserve(o.unkId, UNK, 'unkId');
  reserve(o.bosId, BOS, 'bosId');
  reserve(o.eosId, EOS, 'eosId');
  reserve(o.padId, PAD, 'padId');

  const seen = new Set<string>();
  let next = 0;
  const insert = (piece: string, type: PieceType, field: string): void => {
    if (seen.has(piece)) throw new TokenizerError(`trainer option ${field}: symbol ${JSON.stringify(piece)} is already defined`);
    seen.add(piece);
    if (piece === UNK) throw new TokenizerError(`trainer option ${field} must not contain ${UNK}`);
    const fixed = piece === BOS ? o.bosId : piece === EOS ? o.eosId : piece === PAD ? o.padId : -1;
    if (fixed >= 0) {
      byId.get(fixed)!.type = type;
      return;
    }
    while (byId.has(next)) next++;
    byId.set(next, { piece, type });
  };
  for (const s of o.controlSymbols) insert(s, PieceType.CONTROL, 'controlSymbols');
  for (const s of o.userDefinedSymbols) insert(s, PieceType.USER_DEFINED, 'userDefinedSymbols');

  const out = [...byId.entries()].map(([id, v]) => ({ id, piece: v.piece, type: v.type })).sort((a, b) => a.id - b.id);
  const last = out[out.length - 1]!;
  if (last.id >= o.vocabSize) {
    throw new TokenizerError(`vocabSize ${o.vocabSize} is too small for the ${out.length} reserved pieces (need at least ${last.id + 1})`);
  }
  return out;
}
