/* Checklists worked through in the browser (HR × social-media playbook).
 *
 * The server HTML is a complete static checklist; this script only enhances it. On a
 * checklist page each item gets a status and a short answer, ticking its checkbox
 * marks it done, and progress shows per checklist and per phase; a `checklist-progress`
 * placeholder (the dashboard) shows progress phase by phase. Answers stay in this
 * browser (localStorage), can be exported as a run file (the format
 * `playbook-rh validate` reads) and imported back, after validation.
 *
 * Data from files or storage is only ever written with textContent and attributes,
 * never parsed as HTML. window.playbookCatalogue (playbook-catalogue.js, written at
 * each build) lists the phases, their items and former IDs, the vocabulary of conf.py
 * (statuses), the ID pattern and the run format: this script keeps no copy of them.
 */
(() => {
  "use strict";

  const catalogue = window.playbookCatalogue;
  const checklists = [...document.querySelectorAll(".playbook-checklist")];
  const dashboards = [...document.querySelectorAll("[data-playbook-dashboard]")];
  if (!catalogue || (!checklists.length && !dashboards.length)) return;

  const STORAGE_KEY = "playbook-rh-reseaux-sociaux:run";
  const { vocabulary } = catalogue;
  const FORMAT = vocabulary.run_format;
  const STATUSES = vocabulary.playbook_statuses; // key -> French label, in order
  const TODO = vocabulary.todo; // a question nobody answered
  const DONE = vocabulary.done; // what ticking an item records
  const COMPLETE = new Set(vocabulary.complete);
  const ID_PATTERN = new RegExp(vocabulary.id_pattern);
  const TOP_FIELDS = catalogue.run.top_fields;
  const ITEM_FIELDS = catalogue.run.item_fields;
  const TEXT_FIELDS = catalogue.run.text_fields;
  const MAX_BYTES = catalogue.run.max_bytes;
  const MAX_ANSWER = 2000;

  const phaseOf = new Map();
  for (const phase of catalogue.phases) for (const id of phase.items) phaseOf.set(id, phase);
  const allIds = catalogue.phases.flatMap((phase) => phase.items);

  // -- small helpers ------------------------------------------------------------------

  /** An element with attributes and text: the only way this script makes markup. */
  function el(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

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

  const pad = (number) => String(number).padStart(2, "0");

  /** Local time with its UTC offset, as the command line writes `updated`. */
  function now() {
    const date = new Date();
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

  // -- the reader's run -----------------------------------------------------------------
  // The same shape as a JSON run file: {organisation, started, items: {ID: {...}}};
  // items left untouched (to do, nothing written) are not stored.

  const emptyRun = () => ({ organisation: "", started: "", items: {} });
  let run = emptyRun();

  function isBlank(entry) {
    return entry.status === TODO && !entry.owner && !entry.due && !entry.evidence &&
      !entry.answer;
  }
  const statusOf = (id) => (run.items[id] ? run.items[id].status : TODO);

  function save() {
    try {
      const { started, ...rest } = run; // no started date yet: no key (as in a run file)
      localStorage.setItem(STORAGE_KEY, JSON.stringify(started ? run : rest));
    } catch {
      say("error", [fr`Vos réponses n'ont pas pu être enregistrées dans ce navigateur ` +
        "(stockage désactivé ou plein). Exportez-les pour ne pas les perdre."]);
    }
  }

  function load() {
    let text = null;
    try {
      text = localStorage.getItem(STORAGE_KEY);
    } catch {
      return emptyRun(); // storage disabled: the page works, nothing is kept
    }
    if (!text) return emptyRun();
    // Answers to questions since removed are dropped silently; renamed IDs follow.
    const result = readRun(text, { lenient: true });
    if (result.problems.length) {
      say("error", ["Les réponses enregistrées dans ce navigateur sont illisibles et " +
        fr`n'ont pas été reprises.`]);
      return emptyRun();
    }
    return result.run;
  }

  function update(id, changes) {
    const entry = { status: TODO, ...run.items[id], ...changes, updated: now() };
    if (isBlank(entry)) delete run.items[id];
    else run.items[id] = entry;
    if (!run.started) run.started = today();
    save();
    refresh();
  }

  // -- reading run files: a strict reader for the YAML the run files use -----------------
  // Block mappings ("key: value", nested by indentation), plain, "double-quoted" and
  // 'single-quoted' scalars on one line, comments, `{}` for an empty mapping. Anything
  // else (anchors, aliases, tags, lists, multi-line or block scalars) is refused with a
  // message: run files never need it, and refusing is safer than guessing.

  class FileProblem extends Error {
    constructor(line, message) {
      super(message);
      this.line = line;
    }
  }

  const ESCAPES = {
    0: "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r",
    e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0",
    L: "\u2028", P: "\u2029",
  };
  const HEX_WIDTH = { x: 2, u: 4, U: 8 };

  /** A quoted scalar starting at text[start]; returns its value and where it ends. */
  function readQuoted(text, start, line) {
    const quote = text[start];
    let value = "";
    let i = start + 1;
    while (i < text.length) {
      const char = text[i];
      if (char === quote) {
        if (quote === "'" && text[i + 1] === "'") { // '' is a quote in '...'
          value += "'";
          i += 2;
          continue;
        }
        return { value, end: i + 1 };
      }
      if (quote === '"' && char === "\\") {
        const code = text[i + 1];
        if (code in ESCAPES) {
          value += ESCAPES[code];
          i += 2;
          continue;
        }
        const width = HEX_WIDTH[code];
        const hex = width ? text.slice(i + 2, i + 2 + width) : "";
        if (!width || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width ||
            parseInt(hex, 16) > 0x10ffff) {
          throw new FileProblem(line, fr`séquence d'échappement « \\${code || ""} » inconnue ` +
            "dans une valeur entre guillemets.");
        }
        value += String.fromCodePoint(parseInt(hex, 16));
        i += 2 + width;
        continue;
      }
      value += char;
      i += 1;
    }
    throw new FileProblem(line, fr`guillemet fermant manquant : une valeur entre guillemets ` +
      "doit tenir sur une ligne.");
  }

  /** Why a value or key starting with this character is refused, if it is. */
  function refusedStart(text) {
    const first = text[0];
    if (first === "&" || first === "*") {
      return "les ancres et alias (& et *) sont interdits dans un fichier de suivi.";
    }
    if (first === "!") return "les étiquettes YAML (!) ne sont pas prises en charge.";
    if (first === "|" || first === ">") {
      return fr`les blocs de texte (| et >) ne sont pas pris en charge : écrivez le texte ` +
        "entre guillemets, sur une ligne (\\n pour un retour à la ligne).";
    }
    if (first === "[" || first === "{") {
      return "les listes et dictionnaires entre crochets ou accolades ne sont pas pris en " +
        "charge (sauf {} pour une section vide).";
    }
    if (/^[-?:](\s|$)/.test(text)) {
      return fr`les listes (lignes commençant par « - ») ne sont pas prises en charge.`;
    }
    if ("%@`".includes(first)) {
      return fr`une valeur ne peut pas commencer par « ${first} » : mettez-la entre guillemets.`;
    }
    return "";
  }

  const scalar = (value, line, plain) => ({ type: "scalar", value, plain, line });

  /** The value after "key:" on one line (not empty). */
  function readValue(text, line) {
    if (text[0] === '"' || text[0] === "'") {
      const { value, end } = readQuoted(text, 0, line);
      if (!/^(\s+#.*|\s*)$/.test(text.slice(end))) {
        throw new FileProblem(line, "texte inattendu après la valeur entre guillemets.");
      }
      return scalar(value, line, false);
    }
    if (/^\{\s*\}(\s+#.*)?$/.test(text)) return { type: "map", entries: [], line };
    const refused = refusedStart(text);
    if (refused) throw new FileProblem(line, refused);
    const value = text.replace(/\s+#.*$/, "").trim(); // " #" starts a comment
    if (/:(\s|$)/.test(value)) {
      throw new FileProblem(line, fr`deux-points suivi d'une espace dans une valeur : ` +
        "mettez la valeur entre guillemets.");
    }
    return scalar(value, line, true);
  }

  /** "key: value" or "key:" → {key, rest}. */
  function readKey(text, line) {
    let key;
    let rest;
    if (text[0] === '"' || text[0] === "'") {
      const quoted = readQuoted(text, 0, line);
      key = quoted.value;
      rest = text.slice(quoted.end);
      if (!/^\s*:(\s|$)/.test(rest)) {
        throw new FileProblem(line, fr`« : » attendu après la clé.`);
      }
      rest = rest.replace(/^\s*:/, "");
    } else {
      const refused = refusedStart(text);
      if (refused) throw new FileProblem(line, refused);
      const colon = text.search(/:(\s|$)/);
      key = colon < 0 ? "" : text.slice(0, colon).trimEnd();
      if (!key || /\s#/.test(key)) {
        throw new FileProblem(line, fr`ligne « clé: valeur » attendue (un deux-points suivi ` +
          fr`d'une espace).`);
      }
      if (key === "<<") {
        throw new FileProblem(line, "les fusions (<<) ne sont pas prises en charge.");
      }
      rest = text.slice(colon + 1);
    }
    return { key, rest: rest.trim() };
  }

  function parseYaml(text) {
    const rows = [];
    let ended = false;
    text.split(/\r\n|\r|\n/).forEach((raw, index) => {
      const line = index + 1;
      // What YAML refuses raw (as PyYAML), and line breaks other than LF and CR.
      if (/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/.test(raw)) {
        throw new FileProblem(line, "caractère de contrôle interdit.");
      }
      if (/[\x85\u2028\u2029]/.test(raw)) {
        throw new FileProblem(line, fr`séparateur de ligne Unicode : écrivez-le entre ` +
          "guillemets, en \\u2028.");
      }
      const content = raw.replace(/^ +/, "");
      if (!content.trim() || content.startsWith("#")) return;
      if (content.startsWith("\t")) {
        throw new FileProblem(line, fr`tabulation dans l'indentation : indentez avec des espaces.`);
      }
      if (ended) throw new FileProblem(line, "texte après la fin du document (...).");
      const indent = raw.length - content.length;
      if (indent === 0 && /^---(\s|$)/.test(content) && !rows.length) return; // document start
      if (indent === 0 && /^\.\.\.(\s|$)/.test(content)) {
        ended = true;
        return;
      }
      if (indent === 0 && /^(---|%)/.test(content)) {
        throw new FileProblem(line, "un seul document par fichier, sans directive (%).");
      }
      rows.push({ line, indent, content });
    });
    if (!rows.length) return null;

    let position = 0;
    function mapping(indent) {
      const node = { type: "map", entries: [], line: rows[position].line };
      while (position < rows.length && rows[position].indent >= indent) {
        const row = rows[position];
        if (row.indent > indent) throw new FileProblem(row.line, "indentation inattendue.");
        position += 1;
        const { key, rest } = readKey(row.content, row.line);
        const deeper = position < rows.length && rows[position].indent > indent;
        let value;
        if (rest && !rest.startsWith("#")) {
          value = readValue(rest, row.line);
          if (deeper) {
            throw new FileProblem(rows[position].line, fr`ligne inattendue : une valeur sur ` +
              "plusieurs lignes doit être écrite entre guillemets, sur une ligne.");
          }
        } else {
          value = deeper ? mapping(rows[position].indent) : scalar("", row.line, true);
        }
        node.entries.push({ key, line: row.line, value });
      }
      return node;
    }
    const root = mapping(rows[0].indent);
    if (position < rows.length) {
      throw new FileProblem(rows[position].line, "indentation incohérente.");
    }
    return root;
  }

  /** A JSON value as the nodes parseYaml makes (JSON has no line numbers: 0). */
  function fromJson(value) {
    if (value === null) return scalar("", 0, true);
    if (typeof value === "string") return scalar(value, 0, false);
    if (typeof value !== "object") return scalar(String(value), 0, true);
    if (Array.isArray(value)) return { type: "list", line: 0 };
    const entries = Object.entries(value)
      .map(([key, item]) => ({ key, line: 0, value: fromJson(item) }));
    return { type: "map", entries, line: 0 };
  }

  // Every value is text, as `playbook` reads it (dates are checked from their text);
  // unquoted, nothing, ~ and null mean "no value".
  const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
  const isNull = (node) => node.type === "scalar" && node.plain && NULLS.has(node.value);

  /** Check a parsed file as runs.py does; the run, and every problem with its line. */
  function validate(root, { lenient }) {
    const problems = [];
    const notices = [];
    const problem = (line, message) => problems.push({ line, message });
    const result = emptyRun();

    function entries(node, what) {
      if (node.type !== "map") {
        problem(node.line, fr`${what} doit être une suite de lignes « clé: valeur ».`);
        return [];
      }
      const seen = new Map();
      return node.entries.filter(({ key, line }) => {
        if (seen.has(key)) {
          problem(line, fr`${what} : « ${key} » apparaît deux fois ` +
            fr`(première fois ligne ${seen.get(key)}).`);
          return false;
        }
        seen.set(key, line);
        return true;
      });
    }
    function text(node, what) {
      if (node.type === "scalar") return isNull(node) ? "" : node.value;
      problem(node.line, `${what} doit être du texte, pas une liste ni une section.`);
      return null;
    }
    function date(node, what) {
      const value = text(node, what);
      if (!value) return "";
      const match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
      if (match && isValidDate(+match[1], +match[2], +match[3])) return value;
      problem(node.line, fr`${what} « ${value} » n'est pas une date écrite AAAA-MM-JJ.`);
      return "";
    }
    function timestamp(node, what) {
      const value = text(node, what);
      if (!value) return "";
      // As runs.TIMESTAMP, then the ranges Python's fromisoformat checks.
      const match = new RegExp("^([0-9]{4})-([0-9]{2})-([0-9]{2})" +
        "(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.[0-9]+)?)?" +
        "(?:Z|[+-]([0-9]{2}):?([0-9]{2}))?)?$").exec(value);
      if (match && isValidDate(+match[1], +match[2], +match[3]) &&
          (match[4] === undefined || (+match[4] < 24 && +match[5] < 60 && +(match[6] || 0) < 60)) &&
          (match[7] === undefined || (+match[7] < 24 && +match[8] < 60))) {
        return value;
      }
      problem(node.line, fr`${what} « ${value} » n'est pas une date et heure ` +
        "(AAAA-MM-JJTHH:MM:SS+01:00).");
      return "";
    }
    function item(id, node) {
      const entry = { status: TODO };
      for (const { key, line, value } of entries(node, id)) {
        const what = fr`${id} : ${key}`;
        if (key === "status") {
          const status = text(value, what);
          if (status !== null && !(status in STATUSES)) {
            const known = Object.entries(STATUSES).map(([k, label]) => `${k} (${label})`);
            problem(value.line, fr`${id} : statut « ${status} » inconnu ; les statuts sont ` +
              `${known.join(", ")}.`);
          } else if (status) {
            entry.status = status;
          }
        } else if (TEXT_FIELDS.includes(key)) {
          const value_ = text(value, what);
          if (value_) entry[key] = value_;
        } else if (key === "due") {
          const due = date(value, fr`${id} : l'échéance (due)`);
          if (due) entry.due = due;
        } else if (key === "updated") {
          const updated = timestamp(value, fr`${id} : la mise à jour (updated)`);
          if (updated) entry.updated = updated;
        } else {
          problem(line, fr`${id} : champ « ${key} » inconnu ; une question accepte ` +
            `${ITEM_FIELDS.join(", ")}.`);
        }
      }
      return entry;
    }

    if (!root) {
      problem(1, "le fichier est vide.");
      return { run: result, problems, notices };
    }
    const top = entries(root, "Le fichier");
    if (root.type === "map" && !top.some(({ key }) => key === "items")) {
      problem(root.line, fr`il manque la section « items: » (une entrée par question).`);
    }
    const found = new Map(); // current ID -> ID as written in the file
    for (const { key, line, value } of top) {
      if (key === "format") {
        const stated = text(value, "Le format");
        if (stated !== null && stated !== FORMAT) {
          problem(value.line, fr`format « ${stated} » inconnu : seul « ${FORMAT} » est lu.`);
        }
      } else if (key === "organisation") {
        result.organisation = text(value, fr`L'organisation`) || "";
      } else if (key === "started") {
        result.started = date(value, "La date de début (started)");
      } else if (key === "items") {
        if (isNull(value)) continue;
        for (const { key: written, line: itemLine, value: itemNode } of entries(value, "items")) {
          if (!ID_PATTERN.test(written)) {
            problem(itemLine,
              fr`« ${written} » n'est pas un identifiant de question (comme REC-03).`);
            continue;
          }
          let id = written;
          if (!phaseOf.has(id) && catalogue.replaces[id]) {
            id = catalogue.replaces[id];
            notices.push(
              fr`${written} s'appelle désormais ${id} : ses réponses comptent pour ${id}.`);
          }
          if (!phaseOf.has(id)) {
            if (!lenient) {
              problem(itemLine, fr`${written} n'est pas une question du playbook : vérifiez ` +
                fr`l'identifiant ou supprimez cette entrée.`);
            }
            continue;
          }
          if (found.has(id)) {
            problem(itemLine, fr`${written} et ${found.get(id)} sont la même question : ` +
              "gardez une seule entrée.");
            continue;
          }
          found.set(id, written);
          const entry = item(written, itemNode);
          if (!isBlank(entry)) result.items[id] = entry;
        }
      } else {
        problem(line, fr`clé « ${key} » inconnue ; un fichier de suivi contient ` +
          `${TOP_FIELDS.join(", ")}.`);
      }
    }
    return { run: result, problems, notices };
  }

  /** Read a run file's text (YAML, or JSON such as the JSON export). */
  function readRun(text, options) {
    const source = text.replace(/^\ufeff/, "");
    let root;
    try {
      if (/^\s*[[{]/.test(source)) {
        try {
          root = fromJson(JSON.parse(source));
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          // Browsers say where in English ("line 3" or "position 42"): keep the number.
          const at = /line (\d+)/.exec(error.message);
          const position = /position (\d+)/.exec(error.message);
          let line = 0;
          if (at) line = +at[1];
          else if (position) line = source.slice(0, +position[1]).split("\n").length;
          throw new FileProblem(line, "le fichier JSON est mal formé (guillemets, virgules " +
            "ou accolades).");
        }
      } else {
        root = parseYaml(source);
      }
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error;
      const problems = [{ line: error.line, message: error.message }];
      return { run: emptyRun(), problems, notices: [] };
    }
    return validate(root, options);
  }

  // -- writing run files --------------------------------------------------------------------

  /** The reader's answers as a complete run: every question, in the playbook's order. */
  function exportedRun() {
    const items = {};
    for (const id of allIds) {
      const entry = run.items[id] || { status: TODO };
      items[id] = {};
      for (const field of ITEM_FIELDS) if (entry[field]) items[id][field] = entry[field];
    }
    const data = { format: FORMAT, organisation: run.organisation };
    if (run.started) data.started = run.started;
    data.items = items;
    return data;
  }

  /** JSON text that YAML reads back unchanged: a JSON string is a YAML double-quoted
   * scalar, except for characters YAML takes as line breaks or refuses raw (C1
   * controls, U+2028/9, BOM, non-characters), escaped here; lone surrogates (which no
   * UTF-8 file can hold) become U+FFFD. */
  function yamlSafeJson(value, indent) {
    const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
    const text = JSON.stringify(value, (key, item) =>
      (typeof item === "string" ? item.replace(loneSurrogate, "\ufffd") : item), indent);
    return text.replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
  }
  const yamlString = (value) => yamlSafeJson(value);

  function toYaml(data) {
    const lines = [
      "# Suivi du playbook RH et réseaux sociaux : une entrée par question (ID).",
      `# Exporté depuis le site le ${today()} ; vérifiez-le avec « playbook-rh validate ».`,
      `format: ${data.format}`,
      `organisation: ${yamlString(data.organisation)}`,
    ];
    if (data.started) lines.push(`started: ${data.started}`);
    const ids = Object.keys(data.items);
    lines.push(ids.length ? "items:" : "items: {}");
    for (const id of ids) {
      lines.push(`  ${id}:`);
      for (const [field, value] of Object.entries(data.items[id])) {
        // Statuses and dates are plain, as `playbook` writes them; text is quoted.
        const plain = field === "status" || field === "due" || field === "updated";
        lines.push(`    ${field}: ${plain ? value : yamlString(value)}`);
      }
    }
    return lines.join("\n") + "\n";
  }

  function download(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
    const link = el("a", { href: url, download: name });
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000); // at once could cancel the download
  }

  function exportAs(kind) {
    const data = exportedRun();
    const name = `suivi-playbook-${today()}.${kind}`;
    if (kind === "json") download(yamlSafeJson(data, 2) + "\n", name, "application/json");
    else download(toYaml(data), name, "application/yaml");
    const answered = Object.keys(run.items).length;
    const questions = plural(allIds.length, "question", "questions");
    say("success", [fr`Fichier « ${name} » enregistré : ${questions}, ` +
      `dont ${answered} avec une réponse ou un statut.`]);
  }

  // -- import, reset --------------------------------------------------------------------------

  async function importFile(file) {
    let text;
    if (file.size > MAX_BYTES) {
      say("error", [fr`« ${file.name} » n'a pas été importé : ` +
        "un fichier de suivi fait au plus 5 Mo."]);
      return;
    }
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch {
      say("error", [fr`« ${file.name} » n'a pas été importé : ` +
        fr`ce n'est pas un fichier texte (UTF-8).`]);
      return;
    }
    const result = readRun(text, { lenient: false });
    if (result.problems.length) {
      const lines = result.problems.map(({ line, message }) => (line
        ? fr`Ligne ${line} : ${message}`
        : message.charAt(0).toUpperCase() + message.slice(1)));
      say("error", [fr`« ${file.name} » n'a pas été importé, rien n'a changé. À corriger :`],
        lines);
      return;
    }
    const hasAnswers = Object.keys(run.items).length > 0 || run.organisation;
    if (hasAnswers && !window.confirm("Remplacer les réponses enregistrées dans ce " +
        fr`navigateur par celles de « ${file.name} » ?`)) {
      say("info", [fr`Import annulé : vos réponses n'ont pas changé.`]);
      return;
    }
    run = result.run;
    save();
    refresh();
    const count = Object.keys(run.items).length;
    const answered = plural(count, "question renseignée", "questions renseignées");
    say("success", [fr`« ${file.name} » importé : ${answered}.`], result.notices);
  }

  function reset() {
    if (!window.confirm(fr`Effacer toutes vos réponses enregistrées dans ce navigateur ? ` +
        fr`C'est définitif : exportez-les d'abord pour les garder.`)) return;
    run = emptyRun();
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage disabled: nothing was kept
    }
    refresh();
    say("success", ["Vos réponses ont été effacées de ce navigateur."]);
  }

  // -- the page --------------------------------------------------------------------------------

  const items = new Map(); // ID -> its controls
  const progressViews = []; // functions redrawing a progress display
  const messageAreas = [];
  const organisationInputs = [];
  let uid = 0;

  /** A visible label, with words only screen readers hear (which item it is for). */
  function label(forId, text, hidden) {
    const node = el("label", { for: forId }, text);
    node.append(el("span", { class: "playbook-sr-only" }, hidden));
    return node;
  }

  function enhanceItem(element) {
    const id = element.dataset.item;
    const checkbox = element.querySelector(".playbook-checkbox");
    if (!phaseOf.has(id) || !checkbox) return;
    const panel = el("div", { class: "playbook-answer" });

    const statusField = el("div", { class: "playbook-field" });
    const select = el("select", { id: `status-${id}`, class: "playbook-status" });
    for (const [key, text] of Object.entries(STATUSES)) {
      select.append(el("option", { value: key }, text));
    }
    statusField.append(label(select.id, "Statut", ` de ${id}`), select);

    const noteField = el("div", { class: "playbook-field playbook-field-note" });
    const note = el("textarea", {
      id: `note-${id}`, class: "playbook-note", rows: "2", maxlength: String(MAX_ANSWER),
    });
    noteField.append(label(note.id, "Réponse ou note", ` pour ${id}`), note);

    const details = el("p", { class: "playbook-details" }); // imported owner, due, evidence
    const printed = el("div", { class: "playbook-print-only" }); // what paper shows instead
    panel.append(statusField, noteField, details, printed);
    element.append(panel);

    checkbox.addEventListener("change",
      () => update(id, { status: checkbox.checked ? DONE : TODO }));
    select.addEventListener("change", () => update(id, { status: select.value }));
    note.addEventListener("input", () => update(id, { answer: note.value }));
    items.set(id, { element, checkbox, select, note, details, printed });
  }

  function renderItem(id, controls) {
    const entry = run.items[id] || { status: TODO };
    controls.checkbox.checked = entry.status === DONE;
    controls.select.value = entry.status;
    // Only when it differs: rewriting the same text would move the caret while typing.
    if (controls.note.value !== (entry.answer || "")) controls.note.value = entry.answer || "";
    controls.element.dataset.status = entry.status;

    const details = [];
    if (entry.owner) details.push(fr`Responsable : ${entry.owner}`);
    if (entry.due) details.push(fr`Échéance : ${entry.due}`);
    if (entry.evidence) details.push(fr`Justificatif : ${entry.evidence}`);
    controls.details.textContent = details.join(" · ");
    controls.details.hidden = !details.length;

    const status = el("p", {}, fr`Statut : ${STATUSES[entry.status]}`);
    const answer = entry.answer
      ? el("p", { class: "playbook-print-note" }, fr`Réponse : ${entry.answer}`)
      : el("p", { class: "playbook-print-note playbook-print-blank" }, fr`Réponse :`);
    controls.printed.replaceChildren(status, answer);
  }

  function counts(ids) {
    let complete = 0;
    let started = 0;
    for (const id of ids) {
      const status = statusOf(id);
      if (COMPLETE.has(status)) complete += 1;
      else if (status !== TODO) started += 1;
    }
    return { complete, started, total: ids.length };
  }

  const progressText = ({ complete, total }) =>
    `${plural(complete, "question traitée", "questions traitées")} sur ${total} ` +
    `(${percent(complete, total)}\u202f%)`;

  /** A progress bar; `name` gives its accessible name (aria-labelledby or aria-label). */
  const progressBar = ({ complete, total }, name) =>
    el("progress", { max: String(total || 1), value: String(complete), ...name });

  /** Above a checklist: its progress and, if the phase has items elsewhere, the phase's. */
  function checklistProgress(list) {
    const ids = [...list.querySelectorAll(".playbook-item")].map((item) => item.dataset.item)
      .filter((id) => phaseOf.has(id));
    if (!ids.length) return null;
    const phase = phaseOf.get(ids[0]);
    const box = el("div", { class: "playbook-progress" });
    const number = ++uid;
    progressViews.push(() => {
      const lines = [];
      const own = counts(ids);
      const samePhase = phase.items.length === ids.length;
      const name = samePhase ? fr`Phase « ${phase.label} »` : "Cette checklist";
      lines.push([fr`${name} : ${progressText(own)}`, own]);
      if (!samePhase) {
        const whole = counts(phase.items);
        lines.push([fr`Phase « ${phase.label} » : ${progressText(whole)}`, whole]);
      }
      box.replaceChildren(...lines.flatMap(([text, count], index) => {
        const labelId = `playbook-progress-${number}-${index}`;
        return [el("p", { id: labelId, class: "playbook-progress-label" }, text),
          progressBar(count, { "aria-labelledby": labelId })];
      }));
    });
    return box;
  }

  /** The dashboard: a table of progress per phase, and the whole playbook's. */
  function dashboard(container) {
    const root = document.documentElement.dataset.content_root || "";
    const table = el("table", { class: "playbook-dashboard-table" });
    table.append(el("caption", {},
      "Questions traitées, phase par phase (réponses enregistrées dans ce navigateur)"));
    const head = el("tr");
    for (const title of ["Phase", "Questions traitées", "En cours", "Progression"]) {
      head.append(el("th", { scope: "col" }, title));
    }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    const foot = el("tfoot");
    table.append(thead, body, foot);
    const wrapper = el("div", { class: "playbook-table-wrapper" });
    wrapper.append(table);
    container.replaceChildren(wrapper);

    const row = (title, ids, href) => {
      const count = counts(ids);
      const tr = el("tr");
      const th = el("th", { scope: "row" });
      if (href) th.append(el("a", { href }, title));
      else th.textContent = title;
      const bar = el("td");
      bar.append(progressBar(count, { "aria-label": fr`Progression : ${title}` }));
      const share = `${count.complete} sur ${count.total} ` +
        `(${percent(count.complete, count.total)}\u202f%)`;
      tr.append(th, el("td", {}, share), el("td", {}, String(count.started)), bar);
      return tr;
    };
    progressViews.push(() => {
      body.replaceChildren(
        ...catalogue.phases.map((phase) => row(phase.label, phase.items, root + phase.page)));
      foot.replaceChildren(row("Ensemble du playbook", allIds));
    });
  }

  /** Export, import, reset and the organisation's name; once per page. */
  function tools() {
    const number = ++uid;
    const box = el("div", {
      class: "playbook-tools", role: "group", "aria-labelledby": `playbook-tools-${number}`,
    });
    box.append(el("p", { id: `playbook-tools-${number}`, class: "playbook-tools-title" },
      "Vos réponses restent dans ce navigateur. Exportez-les pour les garder, les partager " +
      "ou les suivre avec la commande playbook-rh."));

    const field = el("div", { class: "playbook-field" });
    const organisation = el("input", {
      id: `playbook-organisation-${number}`, type: "text", autocomplete: "organization",
      class: "playbook-organisation",
    });
    field.append(el("label", { for: organisation.id }, "Organisation (facultatif)"), organisation);
    organisation.addEventListener("input", () => {
      run.organisation = organisation.value;
      save();
      for (const input of organisationInputs) {
        if (input !== organisation) input.value = run.organisation;
      }
    });
    organisationInputs.push(organisation);

    const buttons = el("div", { class: "playbook-buttons" });
    const button = (text, action, extra = {}) => {
      const node = el("button", { type: "button", ...extra }, text);
      node.addEventListener("click", action);
      buttons.append(node);
    };
    // Hidden: the button opens it (a file input cannot be labelled and styled well).
    const picker = el("input", { type: "file", accept: ".yaml,.yml,.json" });
    picker.hidden = true;
    picker.addEventListener("change", () => {
      if (picker.files.length) importFile(picker.files[0]);
      picker.value = ""; // the same file can be chosen again
    });
    button("Exporter (YAML)", () => exportAs("yaml"));
    button("Exporter (JSON)", () => exportAs("json"));
    button("Importer un fichier…", () => picker.click());
    button("Tout effacer…", reset, { class: "playbook-danger" });
    buttons.append(picker);

    const message = el("div", { class: "playbook-message", role: "status", tabindex: "-1" });
    message.hidden = true;
    messageAreas.push(message);
    box.append(field, buttons, message);
    return box;
  }

  /** Show a message (texts and an optional list) in every message area of the page. */
  function say(kind, paragraphs, list = []) {
    for (const area of messageAreas) {
      const nodes = paragraphs.map((text) => el("p", {}, text));
      if (list.length) {
        const ul = el("ul");
        for (const text of list) ul.append(el("li", {}, text));
        nodes.push(ul);
      }
      area.replaceChildren(...nodes);
      area.className = `playbook-message playbook-message-${kind}`;
      area.hidden = false;
    }
    // Errors take the focus, so keyboard and screen-reader users land on them.
    if (kind === "error" && messageAreas.length) messageAreas[0].focus();
  }

  function refresh() {
    for (const [id, controls] of items) renderItem(id, controls);
    for (const view of progressViews) view();
    for (const input of organisationInputs) {
      if (input.value !== run.organisation) input.value = run.organisation;
    }
  }

  // -- start ---------------------------------------------------------------------------------

  document.documentElement.classList.add("playbook-enhanced");
  let toolbox = null;
  for (const container of dashboards) {
    dashboard(container);
    if (!toolbox) container.append((toolbox = tools()));
  }
  for (const list of checklists) {
    list.querySelectorAll(".playbook-item[data-item]").forEach(enhanceItem);
    const progress = checklistProgress(list);
    if (progress) list.before(progress);
    if (!toolbox) list.before((toolbox = tools()));
  }
  run = load();
  refresh();
  // Another tab changed the answers: show them here too.
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY || event.key === null) {
      run = load();
      refresh();
    }
  });
})();
