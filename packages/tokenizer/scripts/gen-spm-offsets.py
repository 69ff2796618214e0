#!/usr/bin/python3
# Reference begin/end byte offsets (SentencePieceText) of python sentencepiece 0.1.97 for the fixture texts and a
# few malformed UTF-8 byte strings. Usage (from packages/tokenizer): /usr/bin/python3 scripts/gen-spm-offsets.py
import base64, json
import sentencepiece as spm

SHARED = '../../../shared/fixtures/sentencepiece/'

def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1
        r |= (c & 0x7f) << s; s += 7
        if c < 0x80: return r, i

def fields(b):
    i, out = 0, []
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        elif w == 5:
            v = b[i:i + 4]; i += 4
        else:
            raise ValueError(w)
        out.append((f, v))
    return out

def encode(sp, data):
    pieces = []
    for f, v in fields(sp.EncodeAsSerializedProto(data)):
        if f == 2:
            d = dict(fields(v))
            pieces.append({'piece': d.get(1, b'').decode('utf-8'), 'id': d.get(2, 0), 'begin': d.get(4, 0), 'end': d.get(5, 0)})
    return pieces

def compact(pieces):
    return {k: [p[k] for p in pieces] for k in ('id', 'begin', 'end')}

texts = [json.loads(l)['text'] for l in open(SHARED + 'cases.jsonl', encoding='utf-8') if l.strip()]
malformed = [b'ab\xc3cd', b'\x80\x80x', b'a\xed\xa0\x80b', b'\xf0\x9f\x98', b'ok \xc0\xaf fine', b'\xef\xbb\xbfbom']
out = {'generator': 'python sentencepiece ' + spm.__version__, 'models': {}}
for name in ['unigram2k', 'bpe500']:
    sp = spm.SentencePieceProcessor(model_file=SHARED + name + '.model')
    out['models'][name] = {
        'texts': [compact(encode(sp, t)) for t in texts],
        'bytes': [{'b64': base64.b64encode(b).decode(), 'pieces': encode(sp, b)} for b in malformed],
    }
json.dump(out, open('test/fixtures/spm-offsets.json', 'w'), ensure_ascii=False)
