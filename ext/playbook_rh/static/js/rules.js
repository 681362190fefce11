/* What the pages know of the playbook, read from the catalogue the build writes
 * (playbook-catalogue.js: the vocabulary of conf.py, the ID pattern, the run format, the
 * phases and their items). Nothing here is a copy: every rule comes from the catalogue. */
(function (playbook) {
  "use strict";

  /** The rules of a catalogue, as lookups (Maps and Sets: no inherited names). */
  playbook.rules = function rules(catalogue) {
    const { vocabulary, run } = catalogue;
    const phaseOf = new Map();
    for (const phase of catalogue.phases) for (const id of phase.items) phaseOf.set(id, phase);
    return {
      format: vocabulary.run_format,
      statuses: new Map(Object.entries(vocabulary.playbook_statuses)), // key -> label, in order
      todo: vocabulary.todo, // a question nobody answered
      done: vocabulary.done, // what ticking an item records
      complete: new Set(vocabulary.complete),
      idPattern: new RegExp(vocabulary.id_pattern),
      topFields: run.top_fields,
      itemFields: run.item_fields,
      textFields: new Set(run.text_fields),
      maxBytes: run.max_bytes,
      maxAnswer: run.max_answer,
      phases: catalogue.phases,
      phaseOf,
      allIds: catalogue.phases.flatMap((phase) => phase.items),
      replaces: new Map(Object.entries(catalogue.replaces)),
      // The organisation profile's criteria (conf.py's playbook_profile) and, per item
      // with an :applies: field, its condition compiled (core/profile.py).
      criteria: new Map(Object.entries(vocabulary.playbook_profile || {})),
      applies: new Map(Object.entries(catalogue.applies || {})),
    };
  };
})(globalThis.playbookRh = globalThis.playbookRh || {});
