#!/bin/sh
# Regenerates test/fixtures/hf-dirs: three ALBERT tokenizer directories and, for each, HF's tokens and ids on 200
# varied lines (hf_albert.py: HF transformers v4.36.2's slow AlbertTokenizer as AutoTokenizer loads the directory;
# the real transformers when TRANSFORMERS_SRC points at its src folder, else a re-statement of its code).
#   hf-cased    a cased vocabulary trained with spm_train (Debian sentencepiece 0.1.97) on SOTU before 1990 with
#               ALBERT's flags, and a tokenizer_config.json / special_tokens_map.json as older HF versions wrote them
#               (no added_tokens_decoder): do_lower_case false, keep_accents true.
#   ts-default  `albert train-tokenizer` with default options on the same text, then saved by `albert pretrain` in
#               a checkpoint (the files are those of the checkpoint directory).
#   ts-cased    the same with --keep-case --keep-accents.
#   hf-added    tokenizer_config.json only (the test pairs it with hf-cased's spiece.model): a v4.34+ config whose
#               added_tokens_decoder has [SEP] with rstrip, a special <ent> past the vocabulary, a normalized
#               non-special "Hello World" and a single_word "ok", with do_lower_case true and remove_space false
#               (so that lstrip/rstrip matter).
# Usage: packages/tokenizer/scripts/hf-reference/make-fixtures.sh   (after `corepack pnpm build`; needs spm_train
# and /usr/bin/python3 with sentencepiece, i.e. Debian's sentencepiece and python3-sentencepiece).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
cli="node $root/apps/cli/dist/bin.js"
dest="$root/packages/tokenizer/test/fixtures/hf-dirs"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
node "$here/make-texts.mjs"

spm_train --input=train_cased.txt --pad_id=0 --unk_id=1 --eos_id=-1 --bos_id=-1 \
  '--control_symbols=[CLS],[SEP],[MASK]' '--user_defined_symbols=(,),"""",-,.,–,£,€' \
  --shuffle_input_sentence=true --input_sentence_size=10000000 --character_coverage=0.99995 \
  --num_threads=1 --random_seed=42 --model_prefix=cased2k --vocab_size=2000 --model_type=unigram \
  --minloglevel=2 >/dev/null 2>&1
mkdir hf-cased
cp cased2k.model hf-cased/spiece.model
cat > hf-cased/tokenizer_config.json <<'EOF'
{
  "do_lower_case": false,
  "keep_accents": true,
  "model_max_length": 512,
  "remove_space": true,
  "tokenizer_class": "AlbertTokenizer"
}
EOF
cat > hf-cased/special_tokens_map.json <<'EOF'
{
  "bos_token": "[CLS]",
  "cls_token": "[CLS]",
  "eos_token": "[SEP]",
  "mask_token": {"content": "[MASK]", "lstrip": true, "normalized": false, "rstrip": false, "single_word": false},
  "pad_token": "<pad>",
  "sep_token": "[SEP]",
  "unk_token": "<unk>"
}
EOF

# A small corpus in the pretraining format for the one-step runs that save the checkpoints.
head -400 train_cased.txt | awk 'NR % 20 == 0 { print "" } { print }' > pretrain_corpus.txt
for variant in default cased; do
  flags=""
  [ "$variant" = cased ] && flags="--keep-case --keep-accents"
  $cli train-tokenizer --input train_cased.txt --vocab-size 2000 --out "tok-$variant" --quiet $flags >/dev/null
  $cli pretrain --config albert-tiny --objective none --corpus pretrain_corpus.txt --vocab "tok-$variant" --steps 1 \
    --batch-size 2 --max-seq-length 32 --eval-every 0 --backend cpu --out "run-$variant" >/dev/null 2>&1
  mkdir "ts-$variant"
  for f in spiece.model tokenizer_config.json special_tokens_map.json; do
    cp "run-$variant/checkpoints/step-00000001/$f" "ts-$variant/$f"
  done
done

mkdir hf-added
cp hf-cased/spiece.model hf-added/spiece.model
cat > hf-added/tokenizer_config.json <<'EOF'
{
  "added_tokens_decoder": {
    "0": {"content": "<pad>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
    "1": {"content": "<unk>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
    "2": {"content": "[CLS]", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
    "3": {"content": "[SEP]", "lstrip": false, "normalized": false, "rstrip": true, "single_word": false, "special": true},
    "4": {"content": "[MASK]", "lstrip": true, "normalized": false, "rstrip": false, "single_word": false, "special": true},
    "2000": {"content": "<ent>", "lstrip": false, "normalized": false, "rstrip": true, "single_word": false, "special": true},
    "2001": {"content": "Hello World", "lstrip": false, "normalized": true, "rstrip": false, "single_word": false, "special": false},
    "2002": {"content": "ok", "lstrip": false, "normalized": false, "rstrip": false, "single_word": true, "special": false}
  },
  "additional_special_tokens": ["<ent>"],
  "do_lower_case": true,
  "keep_accents": false,
  "remove_space": false,
  "tokenizer_class": "AlbertTokenizer"
}
EOF

rm -rf "$dest"
mkdir -p "$dest"
for d in hf-cased ts-default ts-cased hf-added; do
  texts=texts.json
  [ "$d" = hf-added ] && texts=texts_added.json
  /usr/bin/python3 "$here/hf_albert.py" "$d" "$texts" "$d/reference.json"
  [ "$d" = hf-added ] && rm "$d/spiece.model"
  node -e "
    const fs = require('fs');
    const texts = JSON.parse(fs.readFileSync('$texts', 'utf8'));
    const ref = JSON.parse(fs.readFileSync('$d/reference.json', 'utf8'));
    fs.writeFileSync('$d/expected.json', JSON.stringify(texts.map((text, i) => ({ text, ...ref[i] }))) + '\n');"
  rm "$d/reference.json"
  cp -r "$d" "$dest/$d"
done
echo "wrote $dest"
