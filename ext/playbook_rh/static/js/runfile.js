/* Run files in and out: bytes to text, YAML (or JSON, which is YAML) to a small tree of
 * mappings and text with line numbers, and the export's YAML and JSON text. YAML is read
 * and written by js-yaml (vendor/, see its README); this module only turns its event
 * stream into the tree the checks read, as core/run_yaml.py does for the command line:
 * every scalar is text (unquoted null, ~ or nothing meaning "no value"), an alias is
 * refused (the "billion laughs": never expanded), a list stays a list. */
(function (playbook) {
  "use strict";

  const jsyaml = globalThis.jsyaml;
  const { fr, french, today, put } = playbook.text;
  const { EVENT_ID, SCALAR_STYLE } = jsyaml;

  /** A problem with a whole file, or a line of it: `code` names the case (the same for
   * the command line's message, tests/corpus/runs/cases.json). */
  class FileProblem extends Error {
    constructor(line, code, message) {
      super(message);
      this.line = line;
      this.code = code;
    }
  }

  /** The first byte that is not UTF-8: where decoding with replacement first differs. */
  function firstBadByte(bytes) {
    const again = new TextEncoder().encode(new TextDecoder("utf-8").decode(bytes));
    let index = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let other = 0;
    while (index < bytes.length && bytes[index] === again[other]) {
      index += 1;
      other += 1;
    }
    return index;
  }

  /** A run file's bytes as text, or a FileProblem (too big, not UTF-8). */
  function decode(bytes, maxBytes) {
    if (bytes.length > maxBytes) {
      throw new FileProblem(null, "too-big", fr`le fichier fait ${bytes.length} octets ; ` +
        fr`un fichier de suivi fait au plus ${maxBytes / 1048576} Mio : importez le fichier de ` +
        "suivi lui-même.");
    }
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      const bad = firstBadByte(bytes);
      const line = bytes.subarray(0, bad).filter((byte) => byte === 0x0a).length + 1;
      const hex = bytes[bad].toString(16).padStart(2, "0");
      throw new FileProblem(line, "not-utf8", fr`ce n'est pas du texte UTF-8 (octet 0x${hex}) : ` +
        "enregistrez le fichier en UTF-8.");
    }
  }

  /** Nesting deeper than this is refused, as libyaml refuses it for the command line. */
  const MAX_DEPTH = 1000;
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  /** Line breaks for YAML 1.1 (the command line's PyYAML), text for YAML 1.2 (js-yaml). */
  const OLD_BREAKS = /[\x85\u2028\u2029]/;

  // js-yaml's reasons, in French; any other is shown as js-yaml words it.
  const REASONS = [
    [/tab characters must not be used/, "tabulation dans l'indentation : indentez avec des espaces"],
    [/non-printable characters|expected valid JSON character|null byte/,
      "caractère de contrôle interdit"],
    [/nesting exceeded maxDepth/, "imbrication trop profonde"],
    [/unknown escape sequence/, "séquence d'échappement inconnue dans une valeur entre guillemets"],
    [/end of the stream within a (double|single) quoted scalar|deficient indentation/,
      "guillemet fermant manquant ou indentation insuffisante"],
    [/end of the stream within a flow collection/, "accolade ou crochet fermant manquant"],
    [/bad indentation|end of the stream or a document separator is expected/,
      "indentation incohérente"],
    [/block sequence entries are not allowed|can not read a block mapping entry/,
      "ligne inattendue (une liste ou un texte sur plusieurs lignes ?)"],
  ];

  function yamlProblem(error) {
    const reason = error.reason || error.message;
    const known = REASONS.find(([pattern]) => pattern.test(reason));
    const line = error.mark ? error.mark.line + 1 : 1;
    return new FileProblem(line, "yaml-syntax",
      fr`YAML mal formé : ` + french(known ? known[1] : reason) + fr`. Corrigez cette ligne ` +
      fr`(un texte qui contient « : » ou « # » s'écrit entre guillemets).`);
  }

  /** Line of each offset of `text`: line breaks are LF, CRLF and CR (as PyYAML). */
  function lineFinder(text) {
    const starts = [0];
    const breaks = /\r\n|\r|\n/g;
    while (breaks.exec(text)) starts.push(breaks.lastIndex);
    return (offset) => {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle] <= offset) low = middle;
        else high = middle - 1;
      }
      return low + 1;
    };
  }

  /** The tree of a YAML text: {type: "map", line, entries: [{key, line, value}]},
   * {type: "scalar", value, plain, line} or {type: "list", line}; null when the text
   * holds no document. Throws a FileProblem. */
  function parse(text) {
    let events;
    try {
      events = jsyaml.parseEvents(text, { maxDepth: MAX_DEPTH });
    } catch (error) {
      if (error instanceof jsyaml.YAMLException) throw yamlProblem(error);
      throw error;
    }
    const lineAt = lineFinder(text);
    const anchors = new Map(); // name -> line of the node it names
    const stack = []; // open collections
    let root = null;
    let documents = 0;
    let inList = 0; // inside a list nothing is read (a list is refused whole)
    let extraDocument = false;

    /** The problem of a second document: at its "---", the last one before `upTo`. */
    function secondDocument(upTo) {
      const marker = /^---(?=[ \t]|$)/gm;
      let line = null;
      for (let match = marker.exec(text); match && match.index < upTo; match = marker.exec(text)) {
        line = lineAt(match.index);
      }
      return new FileProblem(line, "several-documents",
        fr`un fichier de suivi tient en un seul document YAML (une seule ligne « --- ») : ` +
        fr`gardez-en un, en retirant la ligne « --- » qui commence le suivant.`);
    }
    function nodeStart(event) {
      const start = event.type === EVENT_ID.SCALAR ? event.valueStart
        : event.type === EVENT_ID.ALIAS ? event.anchorStart : event.start;
      return start >= 0 ? start : null;
    }
    function nodeLine(event) {
      const start = nodeStart(event);
      return start === null ? null : lineAt(start);
    }
    function place(node) {
      const parent = stack[stack.length - 1];
      if (!parent) {
        root = node;
        return;
      }
      if (parent.type !== "map") return;
      if (parent.pending === null) {
        if (node.type !== "scalar") {
          throw new FileProblem(node.line, "key-not-text", fr`une clé doit être du texte : ` +
            fr`écrivez chaque clé comme un mot (un identifiant comme REC-03, ou un nom de champ).`);
        }
        parent.pending = node;
        return;
      }
      const key = parent.pending;
      parent.pending = null;
      if (node.line === null) node.line = key.line; // "key:" and nothing
      parent.entries.push({ key: key.value, line: key.line, value: node });
    }
    for (const event of events) {
      if (extraDocument && event.type !== EVENT_ID.DOCUMENT) {
        throw secondDocument(nodeStart(event) ?? text.length);
      }
      switch (event.type) {
        case EVENT_ID.DOCUMENT:
          documents += 1;
          extraDocument = documents > 1;
          break;
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE: {
          const list = event.type === EVENT_ID.SEQUENCE;
          const node = list ? { type: "list", line: nodeLine(event) }
            : { type: "map", line: nodeLine(event), entries: [], pending: null };
          if (!inList) {
            if (event.anchorStart >= 0) {
              anchors.set(text.slice(event.anchorStart, event.anchorEnd), node.line);
            }
            place(node);
          }
          if (list || inList) inList += 1;
          stack.push(node);
          break;
        }
        case EVENT_ID.POP: {
          const node = stack.pop();
          if (node && (node.type === "list" || inList)) inList -= 1;
          break;
        }
        case EVENT_ID.SCALAR: {
          if (inList) break;
          const node = {
            type: "scalar",
            value: jsyaml.getScalarValue(text, event),
            plain: event.style === SCALAR_STYLE.PLAIN,
            line: nodeLine(event),
          };
          if (LONE_SURROGATE.test(node.value)) { // "\ud800": no UTF-8 file can hold it
            throw new FileProblem(node.line, "yaml-syntax",
              fr`YAML mal formé : caractère Unicode incomplet (\\ud800 à \\udfff seul) : ` +
              "retirez-le.");
          }
          if (node.plain && OLD_BREAKS.test(node.value)) {
            throw new FileProblem(node.line, "yaml-syntax", fr`YAML mal formé : séparateur ` +
              fr`de ligne Unicode dans un texte sans guillemets ; écrivez-le entre guillemets.`);
          }
          if (event.anchorStart >= 0) {
            anchors.set(text.slice(event.anchorStart, event.anchorEnd), node.line);
          }
          place(node);
          break;
        }
        case EVENT_ID.ALIAS: {
          if (inList) break;
          const name = text.slice(event.anchorStart, event.anchorEnd);
          throw new FileProblem(anchors.get(name) ?? null, "yaml-alias",
            fr`les ancres et alias (& et *) sont interdits dans un fichier de suivi : ` +
            "écrivez chaque valeur en entier.");
        }
        default:
          break;
      }
    }
    if (extraDocument) throw secondDocument(text.length); // an empty second document
    return root;
  }

  /** Read a run file's text; the tree, or null when it holds nothing. */
  function readTree(text) {
    const source = text.replace(/^\ufeff/, "");
    if (!source.trim()) return null;
    return parse(source);
  }

  // -- writing ----------------------------------------------------------------------------

  const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

  /** Lone surrogates (which no UTF-8 file can hold) become U+FFFD, in every string. */
  function wellFormed(value) {
    if (typeof value === "string") return value.replace(LONE_SURROGATES, "\ufffd");
    if (value === null || typeof value !== "object") return value;
    const copy = {};
    for (const [key, item] of Object.entries(value)) put(copy, wellFormed(key), wellFormed(item));
    return copy;
  }

  /** The YAML of an exported run, with a comment saying where it comes from. */
  function toYaml(data) {
    const header = [
      fr`# Suivi du playbook RH et réseaux sociaux : une entrée par question (ID).`,
      fr`# Exporté depuis le site le ${today()} ; vérifiez-le avec « playbook-rh validate ».`,
    ];
    // CORE_SCHEMA: dates are written plain, as the command line writes them; text that
    // would read as something else (true, null, 12) is quoted; never folded.
    const body = jsyaml.dump(wellFormed(data), { schema: jsyaml.CORE_SCHEMA, lineWidth: -1 });
    return header.join("\n") + "\n" + body;
  }

  /** JSON text that YAML reads back unchanged: characters YAML takes as line breaks or
   * refuses raw (C1 controls, U+2028/9, BOM, non-characters) are escaped. */
  function toJson(data) {
    const text = JSON.stringify(wellFormed(data), null, 2);
    return text.replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`) + "\n";
  }

  playbook.runfile = { FileProblem, decode, readTree, toYaml, toJson };
})(globalThis.playbookRh = globalThis.playbookRh || {});
