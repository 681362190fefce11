/* Words and numbers as the pages write them: French typography, plurals, dates.
 * No DOM: unit-tested with Node (tests/js/). */
(function (playbook) {
  "use strict";

  // French typography, as the build gives the pages (typography.py): a no-break space
  // before ":" and inside « », a narrow one before ";!?", the typographic apostrophe.
  const FRENCH_RULES = [
    [/[ \u00a0\u202f]+([;!?])/gu, "\u202f$1"],
    [/(?<=[\p{L}\p{N}_])([;!?])(?=\s|$)/gu, "\u202f$1"],
    [/[ \u00a0\u202f]+:(?=\s|$)/gu, "\u00a0:"],
    [/«[ \u00a0\u202f]*/gu, "«\u00a0"],
    [/[ \u00a0\u202f]*»/gu, "\u00a0»"],
    [/(?<=[\p{L}\p{N}_])'(?=[\p{L}\p{N}_])/gu, "’"],
  ];
  const french = (text) =>
    FRENCH_RULES.reduce((result, [rule, replacement]) => result.replace(rule, replacement), text);

  /** A template literal whose own words get French typography, never the values put in
   * it (a file name, an answer): fr`« ${name} » importé`. */
  const fr = (parts, ...values) =>
    parts.reduce((text, part, index) =>
      text + french(part) + (index < values.length ? values[index] : ""), "");

  // What never shows raw in a message, as the command line's core/safe_text.py: C0 and C1
  // controls, line breaks and tabs (a message is one line), the Unicode line separators,
  // bidirectional embeddings, overrides and isolates (a file named "\u202egpj.exe"
  // would show reversed), lone surrogates.
  const UNSAFE = /[\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;
  const ESCAPES = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

  /** `text` with every unsafe character a visible escape (\x1b, \u202e): a file's
   * name or a value quoted in a message. */
  const shown = (text) => String(text).replace(UNSAFE, (char) => {
    if (owns(ESCAPES, char)) return ESCAPES[char];
    const code = char.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });

  const pad = (number) => String(number).padStart(2, "0");

  /** Local time with its UTC offset, as the command line writes `updated`. */
  function now(date = new Date()) {
    const offset = -date.getTimezoneOffset();
    const sign = offset >= 0 ? "+" : "-";
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
      `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
      `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  }
  const today = () => now().slice(0, 10);

  /** "3 questions traitées" / "1 question traitée" (French: singular below 2). */
  const plural = (count, one, many) => `${count} ${count >= 2 ? many : one}`;
  const percent = (part, total) => (total ? Math.round((100 * part) / total) : 0);

  function isValidDate(year, month, day) {
    const days = [31, (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28,
      31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
  }

  /** Whether `object` has `key` as its own property: never a name inherited from
   * Object.prototype (`constructor`, `toString`, `__proto__`). */
  const owns = (object, key) =>
    object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);

  /** Set `object[key]` as an own property, even for a key named `__proto__` (which
   * assigning would take for the object's prototype). */
  const put = (object, key, value) => Object.defineProperty(object, key, {
    value, enumerable: true, writable: true, configurable: true,
  });

  playbook.text = { french, fr, now, today, plural, percent, isValidDate, owns, put, shown };
})(globalThis.playbookRh = globalThis.playbookRh || {});
