#!/usr/bin/python3
# Reference encodings of the model variants with python sentencepiece 0.1.97 (Debian python3-sentencepiece).
# Usage (from packages/tokenizer): scripts/gen-spm-variants.sh
import json, os, sys
import sentencepiece as spm

out_dir = sys.argv[1]
texts = json.load(open(os.path.join(out_dir, 'texts.json')))
names = sorted(f[:-6] for f in os.listdir(out_dir) if f.endswith('.model'))
result = {'generator': 'python sentencepiece ' + spm.__version__, 'texts': texts, 'variants': {}}
for name in names:
    sp = spm.SentencePieceProcessor(model_file=os.path.join(out_dir, name + '.model'))
    rows = []
    for t in texts:
        ids = sp.encode(t, out_type=int)
        rows.append({'ids': ids, 'pieces': sp.encode(t, out_type=str), 'decoded': sp.decode(ids)})
    result['variants'][name] = rows
json.dump(result, open('test/fixtures/spm-variants.json', 'w'), ensure_ascii=False)
