/**
 * Unicode script of a code point, as SentencePiece's trainer uses it for `split_by_unicode_script`: a piece may not
 * mix scripts. Hiragana, Katakana and the prolonged sound mark U+30FC count as Han; unknown code points count as
 * Common (SentencePiece's `GetScript` default).
 */

// Every Unicode script property value (Unicode 15.1); tested in this order, the frequent ones first.
const SCRIPT_NAMES = [
  'Latin', 'Common', 'Inherited', 'Greek', 'Cyrillic', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Arabic', 'Hebrew',
  'Devanagari', 'Thai', 'Adlam', 'Ahom', 'Anatolian_Hieroglyphs', 'Armenian', 'Avestan', 'Balinese', 'Bamum',
  'Bassa_Vah', 'Batak', 'Bengali', 'Bhaiksuki', 'Bopomofo', 'Brahmi', 'Braille', 'Buginese', 'Buhid',
  'Canadian_Aboriginal', 'Carian', 'Caucasian_Albanian', 'Chakma', 'Cham', 'Cherokee', 'Chorasmian', 'Coptic',
  'Cuneiform', 'Cypriot', 'Cypro_Minoan', 'Deseret', 'Dives_Akuru', 'Dogra', 'Duployan', 'Egyptian_Hieroglyphs',
  'Elbasan', 'Elymaic', 'Ethiopic', 'Georgian', 'Glagolitic', 'Gothic', 'Grantha', 'Gujarati', 'Gunjala_Gondi',
  'Gurmukhi', 'Hanifi_Rohingya', 'Hanunoo', 'Hatran', 'Imperial_Aramaic', 'Inscriptional_Pahlavi',
  'Inscriptional_Parthian', 'Javanese', 'Kaithi', 'Kannada', 'Kawi', 'Kayah_Li', 'Kharoshthi', 'Khitan_Small_Script',
  'Khmer', 'Khojki', 'Khudawadi', 'Lao', 'Lepcha', 'Limbu', 'Linear_A', 'Linear_B', 'Lisu', 'Lycian', 'Lydian',
  'Mahajani', 'Makasar', 'Malayalam', 'Mandaic', 'Manichaean', 'Marchen', 'Masaram_Gondi', 'Medefaidrin',
  'Meetei_Mayek', 'Mende_Kikakui', 'Meroitic_Cursive', 'Meroitic_Hieroglyphs', 'Miao', 'Modi', 'Mongolian', 'Mro',
  'Multani', 'Myanmar', 'Nabataean', 'Nag_Mundari', 'Nandinagari', 'New_Tai_Lue', 'Newa', 'Nko', 'Nushu',
  'Nyiakeng_Puachue_Hmong', 'Ogham', 'Ol_Chiki', 'Old_Hungarian', 'Old_Italic', 'Old_North_Arabian', 'Old_Permic',
  'Old_Persian', 'Old_Sogdian', 'Old_South_Arabian', 'Old_Turkic', 'Old_Uyghur', 'Oriya', 'Osage', 'Osmanya',
  'Pahawh_Hmong', 'Palmyrene', 'Pau_Cin_Hau', 'Phags_Pa', 'Phoenician', 'Psalter_Pahlavi', 'Rejang', 'Runic',
  'Samaritan', 'Saurashtra', 'Sharada', 'Shavian', 'Siddham', 'SignWriting', 'Sinhala', 'Sogdian', 'Sora_Sompeng',
  'Soyombo', 'Sundanese', 'Syloti_Nagri', 'Syriac', 'Tagalog', 'Tagbanwa', 'Tai_Le', 'Tai_Tham', 'Tai_Viet', 'Takri',
  'Tamil', 'Tangsa', 'Tangut', 'Telugu', 'Thaana', 'Tibetan', 'Tifinagh', 'Tirhuta', 'Toto', 'Ugaritic', 'Vai',
  'Vithkuqi', 'Wancho', 'Warang_Citi', 'Yezidi', 'Yi', 'Zanabazar_Square',
] as const;

let matchers: { id: number; re: RegExp }[] | undefined;
const cache = new Map<number, number>();

function buildMatchers(): { id: number; re: RegExp }[] {
  const out: { id: number; re: RegExp }[] = [];
  SCRIPT_NAMES.forEach((name, id) => {
    try {
      out.push({ id, re: new RegExp(`^\\p{Script=${name}}$`, 'u') });
    } catch {
      // A runtime with older Unicode data does not know the newest scripts; their code points fall back to Common.
    }
  });
  return out;
}

const HAN = SCRIPT_NAMES.indexOf('Han');
const HIRAGANA = SCRIPT_NAMES.indexOf('Hiragana');
const KATAKANA = SCRIPT_NAMES.indexOf('Katakana');
const COMMON = SCRIPT_NAMES.indexOf('Common');

/** Script id of `codePoint` (an index into an internal table; only equality matters), cached per code point. */
export function scriptOf(codePoint: number): number {
  const hit = cache.get(codePoint);
  if (hit !== undefined) return hit;
  matchers ??= buildMatchers();
  const ch = String.fromCodePoint(codePoint);
  let id = COMMON;
  for (const m of matchers) {
    if (m.re.test(ch)) {
      id = m.id;
      break;
    }
  }
  if (id === HIRAGANA || id === KATAKANA || codePoint === 0x30fc) id = HAN;
  cache.set(codePoint, id);
  return id;
}

/** Name of a script id returned by {@link scriptOf}. */
export function scriptName(id: number): string {
  return SCRIPT_NAMES[id] ?? 'Common';
}
