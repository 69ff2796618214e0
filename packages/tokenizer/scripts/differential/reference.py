#!/usr/bin/python3
# Reference outputs with python sentencepiece 0.1.97 (plain encode/decode) and an independent Python re-statement
# of transformers v4.36.2's slow AlbertTokenizer (Python's own str/unicodedata semantics) for texts.json.
import json, re, sys, unicodedata
import sentencepiece as spm

SHARED = sys.argv[1]
texts = json.load(open('texts.json'))
out = {'plain': {}, 'albert': None}
for name in ['unigram2k', 'bpe500']:
    sp = spm.SentencePieceProcessor(model_file=SHARED + '/' + name + '.model')
    out['plain'][name] = [[sp.encode(t, out_type=int), sp.encode(t, out_type=str), sp.decode(sp.encode(t, out_type=int))] for t in texts['plain']]

sp = spm.SentencePieceProcessor(model_file=SHARED + '/unigram2k.model')
SPECIAL = ['[CLS]', '[SEP]', '<unk>', '<pad>', '[MASK]']
def preprocess(inputs):
    outputs = " ".join(inputs.strip().split())
    outputs = outputs.replace("``", '"').replace("''", '"')
    outputs = unicodedata.normalize("NFKD", outputs)
    outputs = "".join([c for c in outputs if not unicodedata.combining(c)])
    return outputs.lower()
def _tokenize(text):
    pieces = sp.encode(preprocess(text), out_type=str)
    new = []
    for piece in pieces:
        if len(piece) > 1 and piece[-1] == "," and piece[-2].isdigit():
            cur = sp.EncodeAsPieces(piece[:-1].replace("\u2581", ""))
            if piece[0] != "\u2581" and cur[0][0] == "\u2581":
                if len(cur[0]) == 1: cur = cur[1:]
                else: cur[0] = cur[0][1:]
            cur.append(piece[-1]); new.extend(cur)
        else: new.append(piece)
    return new
def tokenize(text):
    pattern = r"(" + r"|".join(re.escape(s) for s in SPECIAL) + r")|" + r"(.+?)"
    text = re.sub(pattern, lambda m: m.groups()[0] or m.groups()[1].lower(), text)
    parts = re.split('(' + '|'.join(re.escape(s) for s in SPECIAL) + ')', text)
    for i, t in enumerate(parts):
        if t == '[MASK]' and i > 0 and parts[i - 1]:
            parts[i - 1] = parts[i - 1].rstrip()
    out = []
    for t in parts:
        if not t: continue
        if t in SPECIAL: out.append(t)
        else: out.extend(_tokenize(t))
    return out
out['albert'] = [tokenize(t) for t in texts['albert']]
json.dump(out, open('ref.json', 'w'), ensure_ascii=False)
