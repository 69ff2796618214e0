#!/usr/bin/python3
"""The HF reference for ALBERT tokenizer directories: AutoTokenizer.from_pretrained(dir) -> slow AlbertTokenizer.

Usage:  hf_albert.py DIR TEXTS.json OUT.json
  TEXTS.json: a JSON list of strings. OUT.json: per text {"tokens", "ids", "input_ids", "input_ids_truncated",
  "decoded", "decoded_skip"} (input_ids_truncated = tokenizer(text, truncation=True)["input_ids"], i.e. cut at
  model_max_length; decoded / decoded_skip = decode(input_ids) without / with skip_special_tokens).

With TRANSFORMERS_SRC set to the `src` folder of a transformers v4.36.2 checkout (plus python sentencepiece), the real
`AutoTokenizer.from_pretrained(DIR, use_fast=False)` is used. Without it (transformers is not installable here), a
re-statement of v4.36.2's code paths is used instead: `PreTrainedTokenizerBase._from_pretrained` (how
tokenizer_config.json, added_tokens_decoder and special_tokens_map.json become init kwargs), `PreTrainedTokenizer.
__init__`/`_add_tokens`/`tokenize` (added tokens, lstrip/rstrip/single_word, do_lower_case), and `AlbertTokenizer`
(`preprocess_text`, `_tokenize`, `convert_tokens_to_string`), `_decode`. Only python's own str/re/unicodedata and python sentencepiece 0.1.97 run the text.
"""
import json
import os
import re
import sys
import unicodedata

import sentencepiece as spm

SPIECE_UNDERLINE = "\u2581"
VERY_LARGE_INTEGER = int(1e30)
LARGE_INTEGER = int(1e20)
SPECIAL_TOKENS_ATTRIBUTES = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token",
                             "mask_token", "additional_special_tokens"]


class AddedToken:
    """tokenizers.AddedToken semantics: equality and hash by content."""

    def __init__(self, content, single_word=False, lstrip=False, rstrip=False, special=False, normalized=None):
        self.content = content
        self.single_word = single_word
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.special = special
        self.normalized = normalized if normalized is not None else not special

    def __str__(self):
        return self.content

    def __eq__(self, other):
        return isinstance(other, AddedToken) and other.content == self.content

    def __hash__(self):
        return hash(self.content)


class AlbertTokenizerRef:
    def __init__(self, vocab_file, do_lower_case=True, remove_space=True, keep_accents=False, bos_token="[CLS]",
                 eos_token="[SEP]", unk_token="<unk>", sep_token="[SEP]", pad_token="<pad>", cls_token="[CLS]",
                 mask_token="[MASK]", additional_special_tokens=None, added_tokens_decoder=None,
                 model_max_length=VERY_LARGE_INTEGER, clean_up_tokenization_spaces=True, **kwargs):
        # AlbertTokenizer.__init__
        mask_token = AddedToken(mask_token, lstrip=True, rstrip=False, normalized=False) \
            if isinstance(mask_token, str) else mask_token
        self.sp_model = spm.SentencePieceProcessor()
        self.sp_model.Load(vocab_file)
        self.do_lower_case = do_lower_case
        self.remove_space = remove_space
        self.keep_accents = keep_accents
        self.model_max_length = model_max_length
        self.clean_up_tokenization_spaces = clean_up_tokenization_spaces
        # PreTrainedTokenizer.__init__: added_tokens_decoder first
        self._added_tokens_decoder = dict(added_tokens_decoder or {})
        self._added_tokens_encoder = {t.content: i for i, t in self._added_tokens_decoder.items()}
        # SpecialTokensMixin: the attribute values (str or AddedToken)
        self._special = {"bos_token": bos_token, "eos_token": eos_token, "unk_token": unk_token,
                         "sep_token": sep_token, "pad_token": pad_token, "cls_token": cls_token,
                         "mask_token": mask_token, "additional_special_tokens": list(additional_special_tokens or [])}
        self._add_tokens([t for t in self.all_special_tokens_extended
                          if str(t) not in self._added_tokens_encoder], special_tokens=True)

    @property
    def vocab_size(self):
        return len(self.sp_model)

    @property
    def all_special_tokens_extended(self):
        out, seen = [], set()
        for key in SPECIAL_TOKENS_ATTRIBUTES:
            value = self._special[key]
            if value is None:
                continue
            values = value if isinstance(value, (list, tuple)) else [value]
            for v in values:
                if str(v) not in seen:
                    seen.add(str(v))
                    out.append(v)
        return out

    @property
    def all_special_tokens(self):
        return [str(t) for t in self.all_special_tokens_extended]

    def get_vocab(self):
        vocab = {self.sp_model.IdToPiece(i): i for i in range(self.vocab_size)}
        vocab.update(self._added_tokens_encoder)
        return vocab

    def _add_tokens(self, new_tokens, special_tokens=False):
        current_vocab = self.get_vocab().copy()
        new_idx = len(current_vocab)
        added = 0
        for token in new_tokens:
            if str(token) == "":
                continue
            if isinstance(token, str):
                if token in self._added_tokens_encoder:
                    continue
                is_special = token in self.all_special_tokens or special_tokens
                token = AddedToken(token, rstrip=False, lstrip=False, normalized=not is_special, special=is_special)
            elif special_tokens:
                token.special = True
            if token in self._added_tokens_decoder.values():
                continue
            if not token.special and token.normalized and self.do_lower_case:
                token.content = token.content.lower()
            if token.content not in current_vocab:
                index = new_idx + added
                current_vocab[token.content] = index
                added += 1
            else:
                index = current_vocab[token.content]
            self._added_tokens_decoder[index] = token
            self._added_tokens_encoder[token.content] = index

    # --- AlbertTokenizer
    def preprocess_text(self, inputs):
        outputs = " ".join(inputs.strip().split()) if self.remove_space else inputs
        outputs = outputs.replace("``", '"').replace("''", '"')
        if not self.keep_accents:
            outputs = unicodedata.normalize("NFKD", outputs)
            outputs = "".join([c for c in outputs if not unicodedata.combining(c)])
        if self.do_lower_case:
            outputs = outputs.lower()
        return outputs

    def _tokenize(self, text):
        text = self.preprocess_text(text)
        pieces = self.sp_model.encode(text, out_type=str)
        new_pieces = []
        for piece in pieces:
            if len(piece) > 1 and piece[-1] == str(",") and piece[-2].isdigit():
                cur_pieces = self.sp_model.EncodeAsPieces(piece[:-1].replace(SPIECE_UNDERLINE, ""))
                if piece[0] != SPIECE_UNDERLINE and cur_pieces[0][0] == SPIECE_UNDERLINE:
                    if len(cur_pieces[0]) == 1:
                        cur_pieces = cur_pieces[1:]
                    else:
                        cur_pieces[0] = cur_pieces[0][1:]
                cur_pieces.append(piece[-1])
                new_pieces.extend(cur_pieces)
            else:
                new_pieces.append(piece)
        return new_pieces

    # --- PreTrainedTokenizer.tokenize (v4.36.2)
    def _trie_split(self, text):
        # HF's Trie matches the longest token starting leftmost: an alternation ordered longest first.
        keys = sorted(self._added_tokens_encoder.keys(), key=len, reverse=True)
        if not keys:
            return [text]
        return [p for p in re.split("(" + "|".join(re.escape(k) for k in keys) + ")", text)]

    def tokenize(self, text):
        if self.do_lower_case:
            escaped = [re.escape(s) for s in self.all_special_tokens]
            escaped += [re.escape(t.content) for t in self._added_tokens_decoder.values()
                        if not t.special and t.normalized]
            pattern = r"(" + r"|".join(escaped) + r")|" + r"(.+?)"
            text = re.sub(pattern, lambda m: m.groups()[0] or m.groups()[1].lower(), text)
        no_split_token = self._added_tokens_encoder.keys()
        tokens = self._trie_split(text)
        for i, token in enumerate(tokens):
            if token in no_split_token:
                tok_extended = self._added_tokens_decoder.get(self._added_tokens_encoder[token], None)
                left = tokens[i - 1] if i > 0 else None
                right = tokens[i + 1] if i < len(tokens) - 1 else None
                if tok_extended.rstrip and right:
                    tokens[i + 1] = right.lstrip()
                if tok_extended.lstrip and left:
                    tokens[i - 1] = left.rstrip()
                if tok_extended.single_word and left and left[-1] != " ":
                    tokens[i - 1] += token
                    tokens[i] = ""
                elif tok_extended.single_word and right and right[0] != " ":
                    tokens[i] += right
                    tokens[i + 1] = ""
        out = []
        for token in tokens:
            if not token:
                continue
            if token in no_split_token:
                out.append(token)
            else:
                out.extend(self._tokenize(token))
        return out

    def convert_tokens_to_ids(self, tokens):
        return [self._added_tokens_encoder[t] if t in self._added_tokens_encoder else self.sp_model.PieceToId(t)
                for t in tokens]

    # --- decoding (PreTrainedTokenizer._decode, AlbertTokenizer.convert_tokens_to_string)
    @property
    def all_special_ids(self):
        return self.convert_tokens_to_ids(self.all_special_tokens)

    def convert_ids_to_tokens(self, ids, skip_special_tokens=False):
        out = []
        for index in ids:
            if skip_special_tokens and index in self.all_special_ids:
                continue
            if index in self._added_tokens_decoder:
                out.append(self._added_tokens_decoder[index].content)
            else:
                out.append(self.sp_model.IdToPiece(index))
        return out

    def convert_tokens_to_string(self, tokens):
        current_sub_tokens = []
        out_string = ""
        prev_is_special = False
        for token in tokens:
            if token in self.all_special_tokens:
                if not prev_is_special:
                    out_string += " "
                out_string += self.sp_model.decode(current_sub_tokens) + token
                prev_is_special = True
                current_sub_tokens = []
            else:
                current_sub_tokens.append(token)
                prev_is_special = False
        out_string += self.sp_model.decode(current_sub_tokens)
        return out_string.strip()

    def decode(self, token_ids, skip_special_tokens=False):
        filtered_tokens = self.convert_ids_to_tokens(token_ids, skip_special_tokens=skip_special_tokens)
        additional = [str(t) for t in self._special["additional_special_tokens"]]
        legacy_added_tokens = set(self._added_tokens_encoder.keys()) - set(self.all_special_tokens) | {
            token for token in additional if self.convert_tokens_to_ids([token])[0] >= self.vocab_size}
        sub_texts = []
        current_sub_text = []
        for token in filtered_tokens:
            if token in legacy_added_tokens:
                if current_sub_text:
                    string = self.convert_tokens_to_string(current_sub_text)
                    if len(string) > 0:
                        sub_texts.append(string)
                    current_sub_text = []
                sub_texts.append(token)
            else:
                current_sub_text.append(token)
        if current_sub_text:
            sub_texts.append(self.convert_tokens_to_string(current_sub_text))
        text = " ".join(sub_texts)
        if self.clean_up_tokenization_spaces:
            text = (text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                    .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                    .replace(" 've", "'ve").replace(" 're", "'re"))
        return text

    def __call__(self, text, truncation=False):
        ids = self.convert_tokens_to_ids(self.tokenize(text))
        cls = self._added_tokens_encoder[str(self._special["cls_token"])]
        sep = self._added_tokens_encoder[str(self._special["sep_token"])]
        if truncation and self.model_max_length <= LARGE_INTEGER:  # truncate_sequences, longest_first, one text
            remove = len(ids) + 2 - self.model_max_length
            if 0 < remove < len(ids):
                ids = ids[:-remove]
        return {"input_ids": [cls] + ids + [sep]}


def from_pretrained(directory):
    """PreTrainedTokenizerBase._from_pretrained (v4.36.2) for a local directory and the slow AlbertTokenizer."""
    config_file = os.path.join(directory, "tokenizer_config.json")
    map_file = os.path.join(directory, "special_tokens_map.json")
    init_kwargs = {}
    if os.path.exists(config_file):
        with open(config_file, encoding="utf-8") as f:
            init_kwargs = json.load(f)
    tokenizer_class = init_kwargs.pop("tokenizer_class", None)
    if tokenizer_class not in (None, "AlbertTokenizer", "AlbertTokenizerFast"):
        raise ValueError(f"tokenizer_class {tokenizer_class}")
    init_kwargs.pop("tokenizer_file", None)
    init_kwargs.pop("init_inputs", None)
    added_tokens_decoder, added_tokens_map = {}, {}
    if "added_tokens_decoder" in init_kwargs:
        for idx, token in init_kwargs["added_tokens_decoder"].items():
            token = AddedToken(**token)
            added_tokens_decoder[int(idx)] = token
            added_tokens_map[str(token)] = token
    elif os.path.exists(map_file):
        with open(map_file, encoding="utf-8") as f:
            special_tokens_map = json.load(f)
        for key, value in special_tokens_map.items():
            if isinstance(value, dict):
                value = AddedToken(**value, special=True)
            elif key == "additional_special_tokens" and isinstance(value, list):
                additional = init_kwargs.pop("additional_special_tokens", []) or []
                for token in value:
                    token = AddedToken(**token, special=True) if isinstance(token, dict) else token
                    if token not in additional:
                        additional.append(token)
                value = additional
            init_kwargs[key] = value
    for key in SPECIAL_TOKENS_ATTRIBUTES:
        if key in init_kwargs and added_tokens_map and init_kwargs[key] is not None and key != "additional_special_tokens":
            init_kwargs[key] = added_tokens_map.get(init_kwargs[key], init_kwargs[key])
    init_kwargs["added_tokens_decoder"] = added_tokens_decoder
    for key, value in list(init_kwargs.items()):  # convert_added_tokens: {"__type": "AddedToken", ...}
        if isinstance(value, dict) and value.get("__type") == "AddedToken":
            value = dict(value)
            value.pop("__type")
            init_kwargs[key] = AddedToken(**value)
    return AlbertTokenizerRef(os.path.join(directory, "spiece.model"), **init_kwargs)


def load(directory):
    src = os.environ.get("TRANSFORMERS_SRC")
    if src:
        sys.path.insert(0, src)
        from transformers import AutoTokenizer  # noqa: E402
        return AutoTokenizer.from_pretrained(directory, use_fast=False)
    return from_pretrained(directory)


def main():
    directory, texts_file, out_file = sys.argv[1:4]
    tok = load(directory)
    texts = json.load(open(texts_file, encoding="utf-8"))
    out = []
    for text in texts:
        tokens = tok.tokenize(text)
        input_ids = tok(text)["input_ids"]
        out.append({"tokens": tokens, "ids": tok.convert_tokens_to_ids(tokens), "input_ids": input_ids,
                    "input_ids_truncated": tok(text, truncation=True)["input_ids"],
                    "decoded": tok.decode(input_ids), "decoded_skip": tok.decode(input_ids, skip_special_tokens=True)})
    json.dump(out, open(out_file, "w", encoding="utf-8"), ensure_ascii=False)
    print(f"{len(out)} texts, reference: {'transformers' if os.environ.get('TRANSFORMERS_SRC') else 'restatement'}")


if __name__ == "__main__":
    main()
