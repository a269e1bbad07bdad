"""Vietnamese alphabetical order, computed in Python into a stored sort key.

PostgreSQL here has no ICU collation, and the usual database collations (C, C.UTF-8, en_US) put
"Huỳnh" before "Hồ", "Đ" after "Z" and "Tổ 10" before "Tổ 2". So the order is worked out here,
once, when a record is saved, and kept in a `sort_key` column compared byte by byte (the column
uses the "C" collation, so the database collation does not matter).

The order (the one Vietnamese dictionaries and the CLDR "vi" collation use):
- letters: a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư v (w) x y (z); the foreign
  letters f j w z take their Latin places; capitals sort as small letters;
- word by word ("syllable by syllable", as in a dictionary): a word's letters first, then its
  tone, then the next word — so "An" < "Án" < "Anh";
- tones, as the tie-breaker of a word with the same letters: no mark (ngang), huyền, hỏi, ngã,
  sắc, nặng (a à ả ã á ạ);
- a run of digits is one number and sorts by its value ("Tổ 2" < "Tổ 10"), before any word;
- punctuation is ignored; a letter outside the alphabet (another script) sorts after "z".

Personal names sort by the given name (tên, the last word) first, then the family name and the
middle names in their written order (họ, đệm): "Trần Văn An" < "Hồ Thị Ánh" < "Nguyễn Văn Bình".
An empty name has the empty key and sorts first.

The key is not meant to be read. Its encoding: each letter is one character of `_LETTER_CODES`
(in alphabet order); a word ends with "!" and one tone digit 0-5; a number is "#", the count of
its digits (as one character) and the digits, then "!". "!" and "#" sort before every letter, so
a word sorts before its longer continuations ("An" < "Anh") and numbers before words.
"""

import re
import unicodedata

SORT_KEY_LENGTH = 255

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_CODES = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg"
assert len(_ALPHABET) == len(_LETTER_CODES)
_CODE = dict(zip(_ALPHABET, _LETTER_CODES, strict=True))

# Combining marks that make a Vietnamese letter (circumflex, breve, horn) …
_LETTER_MARKS = {"\u0302": "\u0302", "\u0306": "\u0306", "\u031b": "\u031b"}
# … and the five tone marks, in their sorting order (1 huyền … 5 nặng; 0 is no mark).
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}

_END_WORD = "!"
_NUMBER = "#"
_OTHER = "~"  # before a letter of another script: after every Vietnamese letter
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:[\u0300-\u036f][^\W\d_]*)*")


def _word_key(word: str) -> str:
    """One word: its letters, the end mark and its tone (the first tone mark met)."""
    letters: list[str] = []
    tone = "0"
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            if tone == "0":
                tone = _TONES[ch]
        elif ch in _LETTER_MARKS:
            if letters:
                letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
        elif unicodedata.category(ch).startswith("M"):
            continue  # other accents (é's acute is a tone above; ö, ç, ñ sort as o, c, n)
        else:
            letters.append(ch)
    return "".join(_CODE.get(letter, _OTHER + letter) for letter in letters) + _END_WORD + tone


def _number_key(digits: str) -> str:
    value = digits.lstrip("0") or "0"
    return _NUMBER + chr(ord("0") + min(len(value), 70)) + value + _END_WORD


def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("Đ", "đ")  # đ has no decomposition; lower() handles the rest
    return _TOKEN.findall(unicodedata.normalize("NFD", text))


def _token_key(token: str) -> str:
    return _number_key(token) if token.isdigit() else _word_key(token)


def natural_sort_key(text: str | None) -> str:
    """The key of a name read left to right, numbers by value: "Tổ 2" < "Tổ 10" < "Tổ 11"."""
    return "".join(_token_key(t) for t in _tokens(text or ""))[:SORT_KEY_LENGTH]


def person_sort_key(full_name: str | None) -> str:
    """The key of a Vietnamese personal name: given name (the last word) first, then the family
    and middle names as written. "Hồ Thị An" < "Trần Văn An" < "Huỳnh Văn Bé"."""
    words = (full_name or "").split()
    if not words:
        return ""
    ordered = [words[-1], *words[:-1]]
    return "".join(_token_key(t) for word in ordered for t in _tokens(word))[:SORT_KEY_LENGTH]
