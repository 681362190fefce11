/* The reader's answers kept in this browser (localStorage), as the JSON of a run file.
 * Never thrown away as a whole: a stored value that is invalid or unknown (written by a
 * newer version of the site, or by hand) is kept as it was and reported for its item;
 * stored text that is not JSON at all is copied aside before anything is written. */
(function (playbook) {
  "use strict";

  const { check, fromJson, emptyRun, isBlank, exportedRun } = playbook.checks;

  /** What is stored: the answered items only, in the run file's shape. */
  function stored(run, rules) {
    const data = exportedRun(run, rules);
    for (const id of rules.allIds) {
      if (!Object.prototype.hasOwnProperty.call(run.items, id) || isBlank(run.items[id], rules)) {
        delete data.items[id];
      }
    }
    delete data.format;
    return data;
  }

  /** The answers stored under `key`: {run, problems (each with its item), notices,
   * unreadable (the stored text could not be read; a copy is kept under aside)}. */
  function load(storage, key, rules) {
    const text = storage.getItem(key);
    if (!text) return { run: emptyRun(), problems: [], notices: [] };
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      const aside = `${key}:illisible`;
      if (!storage.getItem(aside)) storage.setItem(aside, text);
      return { run: emptyRun(), problems: [], notices: [], unreadable: aside };
    }
    return check(fromJson(data), rules, { keep: true });
  }

  function save(storage, key, run, rules) {
    storage.setItem(key, JSON.stringify(stored(run, rules)));
  }

  playbook.storage = { load, save, stored };
})(globalThis.playbookRh = globalThis.playbookRh || {});
