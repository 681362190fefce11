/* The organisation profile (issue 15): the criteria of conf.py's playbook_profile, the
 * values a reader gives them, and the items' conditions, compiled by the build into
 * JSON trees that are evaluated here without a parser:
 *   {"all": [..]}, {"any": [..]}, {"not": X}, {"crit": CRITERION, "in": [VALUE, ..]}.
 * With a partial profile the evaluation is three-valued (a criterion not set is
 * unknown, null): an item applies unless its condition is definitely false. */
(function (playbook) {
  "use strict";

  const { owns } = playbook.text;

  /** true, false, or null (unknown) for `tree` under `profile` ({criterion: value}). */
  function evaluate(tree, profile) {
    if (owns(tree, "crit")) {
      if (!owns(profile, tree.crit)) return null;
      return tree.in.includes(profile[tree.crit]);
    }
    if (owns(tree, "not")) {
      const value = evaluate(tree.not, profile);
      return value === null ? null : !value;
    }
    const all = owns(tree, "all");
    const parts = all ? tree.all : tree.any;
    let unknown = false;
    for (const part of parts) {
      const value = evaluate(part, profile);
      if (value === null) unknown = true;
      else if (value !== all) return value; // a false in "all", a true in "any" decides
    }
    return unknown ? null : all;
  }

  /** The labels of a criterion's values: {value: label} (yes-no: oui / non). */
  function valueLabels(criterion) {
    if (criterion.kind === "yes-no") return new Map([[true, "oui"], [false, "non"]]);
    return new Map(Object.entries(criterion.kind === "bands" ? criterion.bands : criterion.choices));
  }

  /** A condition in words, from the criteria's French labels. */
  function describe(tree, criteria, nested = false) {
    if (owns(tree, "crit")) {
      const criterion = criteria.get(tree.crit);
      if (!criterion) return tree.crit;
      const labels = valueLabels(criterion);
      const values = tree.in.map((value) => labels.get(value) ?? String(value));
      return `${criterion.label}\u00a0: ${values.join(" ou ")}`;
    }
    if (owns(tree, "not")) return `non (${describe(tree.not, criteria, false)})`;
    const all = owns(tree, "all");
    const words = (all ? tree.all : tree.any).map((part) => describe(part, criteria, true));
    const text = words.join(all ? " et " : " ou ");
    return nested && words.length > 1 ? `(${text})` : text;
  }

  /** A profile value read from a file (all text there) or from storage (JSON): the
   * value itself, or undefined when the criterion does not take it. */
  function profileValue(criterion, value) {
    if (criterion.kind === "yes-no") {
      if (value === true || value === "true") return true;
      if (value === false || value === "false") return false;
      return undefined;
    }
    const values = criterion.kind === "bands" ? criterion.bands : criterion.choices;
    return typeof value === "string" && owns(values, value) ? value : undefined;
  }

  /** What the reader may answer to a criterion: [[value, label], ...] in order. */
  const choicesOf = (criterion) => [...valueLabels(criterion)];

  playbook.profile = { evaluate, describe, profileValue, choicesOf };
})(globalThis.playbookRh = globalThis.playbookRh || {});
