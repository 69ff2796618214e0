import { NMT_NFKC_CHARSMAP_BASE64, NMT_NFKC_CHARSMAP_LENGTH } from './nmt-nfkc-charsmap.generated.js';

let charsmap: Uint8Array | undefined;

/**
 * SentencePiece's built-in `nmt_nfkc` precompiled charsmap (NFKC plus NMT-specific rules), the bytes `spm_train`
 * writes into `normalizer_spec.precompiled_charsmap`. Decoded once; callers must not modify it.
 */
export function nmtNfkcCharsmap(): Uint8Array {
  if (charsmap === undefined) {
    const bin = atob(NMT_NFKC_CHARSMAP_BASE64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    if (out.length !== NMT_NFKC_CHARSMAP_LENGTH) throw new Error('corrupt built-in nmt_nfkc charsmap');
    charsmap = out;
  }
  return charsmap;
}
