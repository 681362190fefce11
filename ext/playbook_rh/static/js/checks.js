/* A run checked as the command line checks it (core/runs.py): the same rules, the same
 * cases (each problem has a code, shared with the command line's tests in
 * tests/corpus/runs/), the messages in French. Two policies:
 * - a file being imported is refused at its first problem list (nothing changes);
 * - answers kept in this browser are never thrown away: a value that is invalid or
 *   unknown (a field written by a newer version of the site) is kept as it was, in
 *   `kept`, exported as it was, and reported for its item. */
(function (playbook) {
  "use strict";

  const { fr, isValidDate, owns, put } = playbook.text;
  const { profileValue } = playbook.profile;

  // Every value is text, as `playbook` reads it (dates are checked from their text);
  // unquoted, nothing, ~ and null mean "no value".
  const NULLS = new Set(["", "~", "null", "Null", "NULL"]);
  const isNull = (node) => node.type === "scalar" && node.plain && NULLS.has(node.value);
  const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  // As runs.TIMESTAMP, then the ranges Python's fromisoformat checks.
  const TIMESTAMP = new RegExp("^([0-9]{4})-([0-9]{2})-([0-9]{2})" +
    "(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.[0-9]+)?)?" +
    "(?:Z|[+-]([0-9]{2}):?([0-9]{2}))?)?$");

  /** A JSON value (what this browser stored) as the tree runfile.readTree makes; each
   * node keeps its value as it was (`raw`), for what is kept. */
  function fromJson(value) {
    if (value === null || value === undefined) return { type: "scalar", value: "", plain: true, line: null, raw: value };
    if (typeof value === "string") return { type: "scalar", value, plain: false, line: null, raw: value };
    if (typeof value !== "object") return { type: "scalar", value: String(value), plain: true, line: null, raw: value };
    if (Array.isArray(value)) return { type: "list", line: null, raw: value };
    const entries = Object.keys(value).map((key) => ({ key, line: null, value: fromJson(value[key]) }));
    return { type: "map", entries, line: null, raw: value };
  }

  /** What a tree node holds, as JSON (a list read from a file is not kept: null). */
  function rawOf(node) {
    if (owns(node, "raw")) return node.raw;
    if (node.type === "scalar") return isNull(node) ? null : node.value;
    if (node.type === "map") {
      const value = {};
      for (const entry of node.entries) put(value, entry.key, rawOf(entry.value));
      return value;
    }
    return null;
  }

  const emptyRun = () => ({ id: "", organisation: "", started: "", profile: {}, items: {}, kept: {} });

  /** A run's own identifier, written once when the run starts (as `playbook-rh new`
   * writes one): a random UUID (version 4), which tells two runs of one organisation
   * apart in the calendar export. */
  function newRunId() {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function isBlank(entry, rules) {
    return entry.status === rules.todo && !entry.owner && !entry.due && !entry.evidence &&
      !entry.answer && !(entry.kept && Object.keys(entry.kept).length);
  }

  /** Check a tree against `rules`; {run, problems, notices}. `keep`: the policy of
   * stored answers (nothing dropped), else the policy of imports (refuse). */
  function check(root, rules, { keep = false } = {}) {
    const problems = [];
    const notices = [];
    const problem = (line, code, message, item) => problems.push({ line, code, message, item });
    const result = emptyRun();

    function entries(node, what) {
      if (node.type !== "map") {
        problem(node.line, "not-mapping", fr`${what} doit être une suite de lignes « clé: valeur » : ` +
          fr`écrivez une paire « clé: valeur » par ligne.`);
        return [];
      }
      const seen = new Map();
      return node.entries.filter(({ key, line }) => {
        if (seen.has(key)) {
          problem(line, "duplicate-key", fr`${what} : « ${key} » apparaît deux fois ` +
            fr`(première fois ligne ${seen.get(key)}) : gardez-en une.`);
          return false;
        }
        seen.set(key, line);
        return true;
      });
    }
    function text(node, what, item) {
      if (node.type === "scalar") return isNull(node) ? "" : node.value;
      problem(node.line, "not-text", fr`${what} doit être du texte, pas une liste ni une section : ` +
        fr`écrivez la valeur sur la ligne de sa clé.`, item);
      return null;
    }
    function date(node, what, item) {
      const value = text(node, what, item);
      if (!value) return value;
      const match = DATE.exec(value);
      if (match && isValidDate(+match[1], +match[2], +match[3])) return value;
      problem(node.line, "date", fr`${what} « ${value} » n'est pas une date écrite AAAA-MM-JJ : ` +
        fr`écrivez un jour du calendrier ainsi, par exemple 2026-12-31.`, item);
      return null;
    }
    function timestamp(node, what, item) {
      const value = text(node, what, item);
      if (!value) return value;
      const match = TIMESTAMP.exec(value);
      if (match && isValidDate(+match[1], +match[2], +match[3]) &&
          (match[4] === undefined || (+match[4] < 24 && +match[5] < 60 && +(match[6] || 0) < 60)) &&
          (match[7] === undefined || (+match[7] < 24 && +match[8] < 60))) {
        return value;
      }
      problem(node.line, "timestamp", fr`${what} « ${value} » n'est pas une date et heure ` +
        fr`(AAAA-MM-JJTHH:MM:SS+01:00) : écrivez-la ainsi, ou retirez la ligne.`, item);
      return null;
    }
    function item(id, node) {
      const entry = { status: rules.todo };
      const kept = {};
      const keepValue = (key, value) => put(kept, key, rawOf(value));
      for (const { key, line, value } of entries(node, id)) {
        const what = fr`${id} : ${key}`;
        const before = problems.length;
        let read;
        if (key === "status") {
          read = text(value, what, id);
          if (read !== null && !rules.statuses.has(read)) {
            const known = [...rules.statuses].map(([name, label]) => `${name} (${label})`);
            problem(value.line, "status", fr`${id} : statut « ${read} » inconnu ; les statuts sont ` +
              `${known.join(", ")}` + fr` : choisissez-en un.`, id);
            read = null;
          }
        } else if (rules.textFields.has(key)) {
          read = text(value, what, id);
          if (read && rules.maxAnswer && read.length > rules.maxAnswer) {
            problem(value.line, "too-long", fr`${id} : ${key} fait ${read.length} caractères ; ` +
              fr`une réponse en compte au plus ${rules.maxAnswer} : raccourcissez-la.`, id);
            read = null;
          }
        } else if (key === "due") {
          read = date(value, fr`${id} : l'échéance (due)`, id);
        } else if (key === "updated") {
          read = timestamp(value, fr`${id} : la mise à jour (updated)`, id);
        } else {
          problem(line, "unknown-field", fr`${id} : champ « ${key} » inconnu ; une question accepte ` +
            `${rules.itemFields.join(", ")}` + fr` : corrigez son nom ou retirez-le.`, id);
          read = null;
        }
        for (const found of problems.slice(before)) found.field = key; // what a new value mends
        if (read === null) {
          keepValue(key, value);
        } else if (read) {
          entry[key] = read;
        }
      }
      if (keep && Object.keys(kept).length) entry.kept = kept;
      return entry;
    }
    function profile(node) {
      for (const { key, line, value } of entries(node, "Le profil")) {
        const criterion = rules.criteria.get(key);
        if (!criterion) {
          const known = [...rules.criteria.keys()].join(", ");
          problem(line, "profile-criterion", fr`profil : critère « ${key} » inconnu ; les critères ` +
            `sont ${known}` + fr` : corrigez-le ou retirez la ligne.`);
          if (keep) result.kept.profile = { ...result.kept.profile, [key]: rawOf(value) };
          continue;
        }
        if (isNull(value)) continue;
        const read = value.type === "scalar" ? profileValue(criterion, owns(value, "raw") ? value.raw : value.value) : undefined;
        if (read === undefined) {
          const allowed = playbook.profile.choicesOf(criterion).map(([name]) => String(name));
          problem(value.line, "profile-value", fr`profil : « ${String(rawOf(value))} » n'est pas une ` +
            fr`valeur de ${key} ; les valeurs sont ${allowed.join(", ")} : corrigez-la ou ` +
            "retirez la ligne.");
          if (keep) result.kept.profile = { ...result.kept.profile, [key]: rawOf(value) };
          continue;
        }
        result.profile[key] = read;
      }
    }

    if (!root) {
      problem(1, "empty", fr`le fichier est vide : partez d'un fichier exporté par ce site ` +
        fr`ou créé par « playbook-rh new ».`);
      return { run: result, problems, notices };
    }
    const top = entries(root, "Le fichier");
    if (root.type === "map" && !top.some(({ key }) => key === "items")) {
      problem(root.line, "no-items", fr`il manque la section « items: » (une entrée par ` +
        fr`question) : ajoutez-la, ou partez d'un fichier créé par « playbook-rh new ».`);
    }
    const found = new Map(); // current ID -> ID as written in the file
    for (const { key, line, value } of top) {
      if (key === "format") {
        const stated = text(value, "Le format");
        if (stated !== null && stated !== rules.format) {
          problem(value.line, "format", fr`format « ${stated} » inconnu : seul « ${rules.format} » ` +
            fr`est lu ; écrivez « format: ${rules.format} ».`);
        }
      } else if (key === "id" && rules.topFields.includes("id")) {
        result.id = text(value, "L'identifiant du suivi (id)") || "";
      } else if (key === "organisation") {
        result.organisation = text(value, fr`L'organisation`) || "";
      } else if (key === "started") {
        result.started = date(value, "La date de début (started)") || "";
      } else if (key === "profile" && rules.topFields.includes("profile")) {
        if (!isNull(value)) profile(value);
      } else if (key === "items") {
        if (isNull(value)) continue;
        for (const { key: written, line: itemLine, value: itemNode } of entries(value, "items")) {
          if (!rules.idPattern.test(written)) {
            problem(itemLine, "not-an-id",
              fr`« ${written} » n'est pas un identifiant de question (comme REC-03) : corrigez-le.`);
            continue;
          }
          let id = written;
          if (!rules.phaseOf.has(id) && rules.replaces.has(id)) {
            id = rules.replaces.get(id);
            notices.push(fr`${written} s'appelle désormais ${id} : ses réponses comptent pour ${id}.`);
          }
          if (!rules.phaseOf.has(id)) {
            if (keep) {
              result.kept.items = { ...result.kept.items, [written]: rawOf(itemNode) };
              notices.push(fr`${written} n'est plus une question du playbook : ses réponses ` +
                "restent gardées et exportées.");
            } else {
              problem(itemLine, "unknown-id", fr`${written} n'est pas une question du playbook : ` +
                fr`vérifiez l'identifiant ou supprimez cette entrée.`);
            }
            continue;
          }
          if (found.has(id)) {
            problem(itemLine, "same-question", fr`${written} et ${found.get(id)} sont la même ` +
              "question : gardez une seule entrée.");
            continue;
          }
          found.set(id, written);
          const entry = item(written, itemNode);
          if (!isBlank(entry, rules)) result.items[id] = entry;
        }
      } else {
        problem(line, "unknown-key", fr`clé « ${key} » inconnue ; un fichier de suivi contient ` +
          `${rules.topFields.join(", ")}` + fr` : corrigez son nom ou retirez-la.`);
        if (keep) put(result.kept, key, rawOf(value));
      }
    }
    return { run: result, problems, notices };
  }

  /** Read a run file's bytes (an import); {run, problems, notices}, every problem
   * with its line (or null) and its code. */
  function readRunBytes(bytes, rules) {
    const { decode, readTree, FileProblem } = playbook.runfile;
    try {
      return check(readTree(decode(bytes, rules.maxBytes)), rules);
    } catch (error) {
      if (!(error instanceof FileProblem)) throw error;
      const problems = [{ line: error.line, code: error.code, message: error.message }];
      return { run: emptyRun(), problems, notices: [] };
    }
  }

  /** The reader's answers as a complete run file: every question, in the playbook's
   * order, with what was kept (unknown fields, answers to removed questions). */
  function exportedRun(run, rules) {
    const items = {};
    for (const id of rules.allIds) {
      const entry = owns(run.items, id) ? run.items[id] : { status: rules.todo };
      const written = {};
      for (const field of rules.itemFields) if (entry[field]) written[field] = entry[field];
      for (const [field, value] of Object.entries(entry.kept || {})) put(written, field, value);
      items[id] = written;
    }
    Object.assign(items, run.kept.items || {});
    const data = { format: rules.format };
    if (run.id) data.id = run.id;
    data.organisation = run.organisation;
    if (run.started) data.started = run.started;
    const profile = { ...run.profile, ...(run.kept.profile || {}) };
    if (Object.keys(profile).length && rules.topFields.includes("profile")) data.profile = profile;
    data.items = items;
    for (const [key, value] of Object.entries(run.kept)) {
      if (key !== "items" && key !== "profile") put(data, key, value);
    }
    return data;
  }

  playbook.checks = { check, fromJson, readRunBytes, exportedRun, emptyRun, isBlank, newRunId };
})(globalThis.playbookRh = globalThis.playbookRh || {});
