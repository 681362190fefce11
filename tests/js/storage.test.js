// Answers kept in this browser are never thrown away as a whole (issue 14): one invalid
// or unknown stored value keeps every other answer, is kept itself and exported, and
// its item is named.
"use strict";

const assert = require("node:assert/strict");
const { test } = require("node:test");
const { playbook, rules, withProfile, catalogue } = require("./load.js");

const KEY = "playbook-rh-reseaux-sociaux:run";

/** The Web Storage interface over a Map (the real localStorage is in test_browser.py). */
class MemoryStorage {
  constructor(entries = {}) { this.map = new Map(Object.entries(entries)); }
  getItem(key) { return this.map.has(key) ? this.map.get(key) : null; }
  setItem(key, value) { this.map.set(key, String(value)); }
  removeItem(key) { this.map.delete(key); }
}

const stored = (data) => new MemoryStorage({ [KEY]: JSON.stringify(data) });

test("answers saved are loaded back unchanged", () => {
  const storage = new MemoryStorage();
  const run = playbook.checks.emptyRun();
  run.organisation = "Exemple SA";
  run.started = "2026-11-02";
  run.items["REC-01"] = { status: "done", answer: "Oui", updated: "2026-11-20T14:03:00+01:00" };
  playbook.storage.save(storage, KEY, run, rules);
  const loaded = playbook.storage.load(storage, KEY, rules);
  assert.deepEqual(loaded.problems, []);
  assert.deepEqual(loaded.run, run);
});

test("one unknown status keeps every other answer, and the value itself", () => {
  const storage = stored({
    organisation: "Exemple SA",
    items: {
      "REC-01": { status: "finished", answer: "Une réponse", colour: "bleu" },
      "REC-02": { status: "in-progress", answer: "En cours" },
      "TRA-01": { status: "done" },
    },
  });
  const { run, problems } = playbook.storage.load(storage, KEY, rules);
  assert.equal(run.organisation, "Exemple SA");
  assert.deepEqual(run.items["REC-02"], { status: "in-progress", answer: "En cours" });
  assert.deepEqual(run.items["TRA-01"], { status: "done" });
  assert.deepEqual(run.items["REC-01"], {
    status: "todo", answer: "Une réponse", kept: { status: "finished", colour: "bleu" },
  });
  assert.deepEqual(problems.map(({ item, code }) => [item, code]),
    [["REC-01", "status"], ["REC-01", "unknown-field"]]);

  // Exported as they were, and saved again as they were: the next click loses nothing.
  const exported = playbook.checks.exportedRun(run, rules);
  assert.deepEqual(exported.items["REC-01"],
    { status: "finished", answer: "Une réponse", colour: "bleu" });
  playbook.storage.save(storage, KEY, run, rules);
  const again = playbook.storage.load(storage, KEY, rules);
  assert.deepEqual(again.run, run);
});

test("fields, keys and questions a newer version wrote are kept and exported", () => {
  const storage = stored({
    organisation: "",
    roles: { dpo: "Claire" },
    items: {
      "REC-01": { status: "done", reviewed: { by: "Paul", on: "2026-11-03" } },
      "REC-77": { status: "done", answer: "Question d'une autre version" },
    },
  });
  const { run, problems, notices } = playbook.storage.load(storage, KEY, rules);
  assert.equal(run.items["REC-01"].status, "done");
  assert.deepEqual(problems.map(({ item, code }) => [item ?? null, code]),
    [[null, "unknown-key"], ["REC-01", "unknown-field"]]);
  assert.equal(notices.length, 1);
  assert.match(notices[0], /REC-77/);
  const exported = playbook.checks.exportedRun(run, rules);
  assert.deepEqual(exported.roles, { dpo: "Claire" });
  assert.deepEqual(exported.items["REC-01"].reviewed, { by: "Paul", on: "2026-11-03" });
  assert.deepEqual(exported.items["REC-77"], { status: "done", answer: "Question d'une autre version" });
});

test("statuses are checked against own properties only", () => {
  for (const status of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
    const storage = new MemoryStorage({
      [KEY]: `{"items": {"REC-01": {"status": ${JSON.stringify(status)}}, "REC-02": {"status": "done"}}}`,
    });
    const { run, problems } = playbook.storage.load(storage, KEY, rules);
    assert.deepEqual(problems.map(({ code }) => code), ["status"], status);
    assert.equal(run.items["REC-01"].status, "todo");
    assert.equal(run.items["REC-01"].kept.status, status);
    assert.equal(run.items["REC-02"].status, "done");
    assert.equal(Object.getPrototypeOf(run.items["REC-01"].kept), Object.prototype);
  }
});

test("a stored answer longer than typing allows is kept, and reported", () => {
  const long = "a".repeat(rules.maxAnswer + 1);
  const { run, problems } = playbook.storage.load(
    stored({ items: { "REC-01": { status: "done", answer: long } } }), KEY, rules);
  assert.deepEqual(problems.map(({ item, code }) => [item, code]), [["REC-01", "too-long"]]);
  assert.equal(run.items["REC-01"].status, "done");
  assert.equal(playbook.checks.exportedRun(run, rules).items["REC-01"].answer, long);
});

test("a profile value this version does not know is kept", () => {
  const profiled = playbook.rules(withProfile());
  const { run, problems } = playbook.storage.load(stored({
    profile: { headcount: "11-49", "internal-network": "peut-être", size: "xl" },
    items: { "REC-01": { status: "done" } },
  }), KEY, profiled);
  assert.deepEqual(run.profile, { headcount: "11-49" });
  assert.deepEqual(problems.map(({ code }) => code), ["profile-value", "profile-criterion"]);
  assert.deepEqual(playbook.checks.exportedRun(run, profiled).profile,
    { headcount: "11-49", "internal-network": "peut-être", size: "xl" });
  assert.equal(run.items["REC-01"].status, "done");
});

test("stored text that is not JSON is copied aside, never overwritten", () => {
  const storage = new MemoryStorage({ [KEY]: "{pas du JSON" });
  const loaded = playbook.storage.load(storage, KEY, rules);
  assert.equal(loaded.unreadable, `${KEY}:illisible`);
  assert.equal(storage.getItem(`${KEY}:illisible`), "{pas du JSON");
  assert.deepEqual(loaded.run.items, {});
});

test("storage from before this version (no format, no profile) reads as it did", () => {
  const { run, problems } = playbook.storage.load(stored({
    organisation: "Exemple", started: "2026-11-02",
    items: { "REC-01": { status: "done", updated: "2026-11-20T14:03:00+01:00" } },
  }), KEY, rules);
  assert.deepEqual(problems, []);
  assert.equal(run.started, "2026-11-02");
  assert.equal(run.items["REC-01"].status, "done");
});

test("each stored problem names its item and the field a new value mends", () => {
  const { problems } = playbook.storage.load(stored({ items: {
    "REC-01": { status: "finished", due: "demain", colour: "bleu" },
  } }), KEY, rules);
  assert.deepEqual(problems.map(({ item, field, code }) => [item, field, code]),
    [["REC-01", "status", "status"], ["REC-01", "due", "date"], ["REC-01", "colour", "unknown-field"]]);
});

test("a stored key named __proto__ is kept as a key, and exported", () => {
  const storage = new MemoryStorage({
    [KEY]: '{"__proto__": {"polluted": true}, "items": {"REC-01": {"status": "done", "__proto__": "x"}}}',
  });
  const { run, problems } = playbook.storage.load(storage, KEY, rules);
  assert.deepEqual(problems.map(({ code }) => code), ["unknown-key", "unknown-field"]);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.getPrototypeOf(run.kept), Object.prototype);
  const exported = playbook.checks.exportedRun(run, rules);
  assert.ok(Object.hasOwn(exported, "__proto__"));
  assert.deepEqual(exported["__proto__"], { polluted: true });
  assert.ok(Object.hasOwn(exported.items["REC-01"], "__proto__"));
  assert.match(playbook.runfile.toYaml(exported), /\n__proto__:\n {2}polluted: true\n/);
});

test("a run's own identifier is read, stored and exported; a new one is a random UUID", () => {
  const bytes = new TextEncoder().encode("format: playbook-run/1\n" +
    "id: 0b7f3c8e-5a4d-4e0f-9c61-2f8d9a1b7e42\norganisation: Exemple SA\n" +
    "items:\n  REC-01:\n    status: done\n");
  const read = playbook.checks.readRunBytes(bytes, rules);
  assert.deepEqual(read.problems, []);
  assert.equal(read.run.id, "0b7f3c8e-5a4d-4e0f-9c61-2f8d9a1b7e42");
  const exported = playbook.checks.exportedRun(read.run, rules);
  assert.deepEqual(Object.keys(exported).slice(0, 3), ["format", "id", "organisation"]);
  assert.equal(exported.id, read.run.id);
  const storage = new MemoryStorage();
  playbook.storage.save(storage, KEY, read.run, rules);
  assert.equal(playbook.storage.load(storage, KEY, rules).run.id, read.run.id);
  const made = new Set([playbook.checks.newRunId(), playbook.checks.newRunId()]);
  assert.equal(made.size, 2);
  for (const id of made) {
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  }
});

test("an identifier stored by a site that knows it is kept by one that does not", () => {
  const topFields = catalogue.run.top_fields.filter((field) => field !== "id");
  const older = playbook.rules({ ...catalogue, run: { ...catalogue.run, top_fields: topFields } });
  const storage = stored({ id: "0b7f3c8e", organisation: "Exemple SA",
    items: { "REC-01": { status: "done" } } });
  const loaded = playbook.storage.load(storage, KEY, older);
  assert.equal(playbook.checks.exportedRun(loaded.run, older).id, "0b7f3c8e");
});
