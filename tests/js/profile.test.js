// The organisation profile: conditions evaluated three-valued, in words, and the
// values a criterion takes.
"use strict";

const assert = require("node:assert/strict");
const { test } = require("node:test");
const { playbook, catalogue, withProfile } = require("./load.js");

const { evaluate, profileValue, choicesOf } = playbook.profile;
const rules = playbook.rules(withProfile());
const big = { crit: "headcount", in: ["50-299", "300-plus"] };
const network = { crit: "internal-network", in: [true] };

test("an atom is true, false, or unknown when its criterion is not set", () => {
  assert.equal(evaluate(big, { headcount: "300-plus" }), true);
  assert.equal(evaluate(big, { headcount: "11-49" }), false);
  assert.equal(evaluate(big, {}), null);
  assert.equal(evaluate(network, { "internal-network": true }), true);
  assert.equal(evaluate(network, { "internal-network": false }), false);
  assert.equal(evaluate(network, { "internal-network": "true" }), false); // booleans only
});

test("not, all and any follow three-valued logic", () => {
  assert.equal(evaluate({ not: big }, {}), null);
  assert.equal(evaluate({ not: big }, { headcount: "11-49" }), true);
  const both = { all: [big, network] };
  assert.equal(evaluate(both, { headcount: "11-49" }), false); // false decides, unknown or not
  assert.equal(evaluate(both, { headcount: "50-299" }), null);
  assert.equal(evaluate(both, { headcount: "50-299", "internal-network": true }), true);
  const either = { any: [big, network] };
  assert.equal(evaluate(either, { "internal-network": true }), true); // true decides
  assert.equal(evaluate(either, { headcount: "11-49" }), null);
  assert.equal(evaluate(either, { headcount: "11-49", "internal-network": false }), false);
  assert.equal(evaluate({ all: [] }, {}), true);
  assert.equal(evaluate({ any: [] }, {}), false);
});

test("a profile's inherited names are not criteria", () => {
  const tree = { crit: "constructor", in: [Object] };
  assert.equal(evaluate(tree, {}), null);
  assert.equal(evaluate({ crit: "__proto__", in: [Object.prototype] }, {}), null);
});

test("an item applies unless its condition is definitely false", () => {
  const applies = playbook.progress.appliesUnder(rules, {});
  assert.ok(applies("REC-01") && applies("REC-02") && applies("TRA-01"));
  const small = playbook.progress.appliesUnder(rules, { headcount: "moins-de-11" });
  assert.ok(small("REC-01") && !small("REC-02") && small("TRA-01"));
  const publicSector = playbook.progress.appliesUnder(rules,
    { "internal-network": true, sector: "public" });
  assert.ok(!publicSector("TRA-01"));
});

test("a criterion takes only its own values", () => {
  const headcount = rules.criteria.get("headcount");
  const yesNo = rules.criteria.get("internal-network");
  const sector = rules.criteria.get("sector");
  assert.equal(profileValue(headcount, "11-49"), "11-49");
  assert.equal(profileValue(headcount, "12"), undefined);
  assert.equal(profileValue(headcount, "toString"), undefined);
  assert.equal(profileValue(sector, "__proto__"), undefined);
  assert.equal(profileValue(yesNo, "true"), true);
  assert.equal(profileValue(yesNo, false), false);
  assert.equal(profileValue(yesNo, "oui"), undefined);
  assert.deepEqual(choicesOf(yesNo), [[true, "Oui"], [false, "Non"]]);
  assert.deepEqual(choicesOf(headcount).map(([value]) => value),
    ["moins-de-11", "11-49", "50-299", "300-plus"]);
});

test("progress counts only what applies", () => {
  const run = { items: { "REC-01": { status: "done" }, "REC-02": { status: "done" } } };
  const small = playbook.progress.appliesUnder(rules, { headcount: "moins-de-11" });
  assert.deepEqual(playbook.progress.counts(rules.allIds, run, rules, small),
    { complete: 1, started: 0, total: 2, outOfScope: 1 });
  assert.deepEqual(playbook.progress.counts(rules.allIds, run, rules),
    { complete: 2, started: 0, total: 3, outOfScope: 0 });
});

test("the profile is read from a run file, checked, and written back", () => {
  const text = "format: playbook-run/1\nprofile:\n  headcount: 11-49\n  internal-network: true\n" +
    "items: {}\n";
  const { run, problems } = playbook.checks.readRunBytes(new TextEncoder().encode(text), rules);
  assert.deepEqual(problems, []);
  assert.deepEqual(run.profile, { headcount: "11-49", "internal-network": true });
  const exported = playbook.runfile.toYaml(playbook.checks.exportedRun(run, rules));
  assert.match(exported, /\nprofile:\n {2}headcount: 11-49\n {2}internal-network: true\n/);
  const again = playbook.checks.readRunBytes(new TextEncoder().encode(exported), rules);
  assert.deepEqual(again.run.profile, run.profile);
});

test("an unknown criterion or value in a file is refused, on its line", () => {
  const text = "format: playbook-run/1\nprofile:\n  headcount: 12\n  colour: blue\n" +
    "  internal-network: oui\nitems: {}\n";
  const { problems } = playbook.checks.readRunBytes(new TextEncoder().encode(text), rules);
  assert.deepEqual(problems.map(({ code, line }) => [code, line]),
    [["profile-value", 3], ["profile-criterion", 4], ["profile-value", 5]]);
});

test("a run format without profile: makes it an unknown key", () => {
  const top = catalogue.run.top_fields.filter((field) => field !== "profile");
  const older = playbook.rules({ ...withProfile(), run: { ...catalogue.run, top_fields: top } });
  const text = "format: playbook-run/1\nprofile:\n  headcount: 11-49\nitems: {}\n";
  const { problems } = playbook.checks.readRunBytes(new TextEncoder().encode(text), older);
  assert.deepEqual(problems.map(({ code }) => code), ["unknown-key"]);
});

test("with no criteria declared, every criterion of a file is unknown", () => {
  const none = playbook.rules({ ...withProfile(), vocabulary: catalogue.vocabulary,
    applies: {} });
  const text = "format: playbook-run/1\nprofile:\n  headcount: 11-49\nitems: {}\n";
  const { problems } = playbook.checks.readRunBytes(new TextEncoder().encode(text), none);
  assert.deepEqual(problems.map(({ code, line }) => [code, line]), [["profile-criterion", 3]]);
});
