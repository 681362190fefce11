/* Progress: how many questions are complete, started, and which apply to the
 * organisation (its profile): progress counts only what applies. */
(function (playbook) {
  "use strict";

  const { evaluate } = playbook.profile;
  const { owns } = playbook.text;

  /** Whether an item applies under `profile`: unless its condition is definitely false. */
  const appliesUnder = (rules, profile) => (id) => {
    const condition = rules.applies.get(id);
    return !condition || evaluate(condition, profile) !== false;
  };

  /** {complete, started, total, outOfScope} over `ids`. */
  function counts(ids, run, rules, applies = () => true) {
    let complete = 0;
    let started = 0;
    let total = 0;
    let outOfScope = 0;
    for (const id of ids) {
      if (!applies(id)) {
        outOfScope += 1;
        continue;
      }
      total += 1;
      const status = owns(run.items, id) ? run.items[id].status : rules.todo;
      if (rules.complete.has(status)) complete += 1;
      else if (status !== rules.todo) started += 1;
    }
    return { complete, started, total, outOfScope };
  }

  playbook.progress = { appliesUnder, counts };
})(globalThis.playbookRh = globalThis.playbookRh || {});
