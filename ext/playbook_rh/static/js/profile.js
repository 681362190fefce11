/* The organisation profile (issue 15): the criteria of conf.py's playbook_profile, the
 * values a reader gives them, and the items' conditions, compiled by the build into
 * JSON trees that are evaluated here without a parser:
 *   {"all": [..]}, {"any": [..]}, {"not": X}, {"crit": CRITERION, "in": [VALUE, ..]}.
 * With a partial profile the evaluation is three-valued (a criterion not set is
 * unknown, null): an item applies unless its condition is definitely false. The
 * conditions in words are the build's (under each item), never made here. */
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

  /** What a reader may answer to a criterion: [[value, French label], ...] in order
   * (yes-no: true, false). */
  function choicesOf(criterion) {
    if (criterion.kind === "yes-no") return [[true, "Oui"], [false, "Non"]];
    return Object.entries(criterion.kind === "bands" ? criterion.bands : criterion.choices);
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

  playbook.profile = { evaluate, profileValue, choicesOf };
})(globalThis.playbookRh = globalThis.playbookRh || {});
