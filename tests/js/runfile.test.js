// Run files in and out: js-yaml's events turned into the tree the checks read, the
// export read back unchanged, the limits of typing applied to imports.
"use strict";

const assert = require("node:assert/strict");
const { test } = require("node:test");
const { playbook, rules, encode } = require("./load.js");

const { readRunBytes, exportedRun, emptyRun } = playbook.checks;
const { toYaml, toJson, readTree } = playbook.runfile;

const TRICKY = "Ligne 1\nLigne 2\t« guillemets » \"doubles\" 'simples' \\ antislash # dièse : " +
  "deux-points - tiret {accolades} [crochets] &ancre *alias 😀 \u2028 \x85 fin ";

function sampleRun() {
  const run = emptyRun();
  run.organisation = "Exemple SA « test »";
  run.started = "2026-11-02";
  run.items["REC-01"] = { status: "done", due: "2026-12-15", updated: "2026-11-20T14:03:00+01:00" };
  run.items["REC-02"] = { status: "in-progress", answer: TRICKY, owner: "true",
    evidence: "null" };
  run.items["TRA-01"] = { status: "not-applicable", answer: "12", owner: " - x: y" };
  return run;
}

for (const [kind, write] of [["YAML", toYaml], ["JSON", toJson]]) {
  test(`an export (${kind}) imports back unchanged`, () => {
    const run = sampleRun();
    const text = write(exportedRun(run, rules));
    const { run: again, problems } = readRunBytes(encode(text), rules);
    assert.deepEqual(problems, []);
    assert.deepEqual(again, run);
  });
}

test("the YAML export says where it comes from, and writes dates and statuses plain", () => {
  const text = toYaml(exportedRun(sampleRun(), rules));
  assert.match(text, /^# Suivi du playbook/);
  assert.match(text, /\nformat: playbook-run\/1\n/);
  assert.match(text, /\n {4}status: done\n {4}due: 2026-12-15\n/);
  assert.match(text, /\n {4}owner: 'true'\n/); // text that reads as something else is quoted
});

test("lone surrogates, which no UTF-8 file can hold, are written as U+FFFD", () => {
  const run = emptyRun();
  run.items["REC-01"] = { status: "done", answer: "a\ud800b" };
  const { run: again } = readRunBytes(encode(toYaml(exportedRun(run, rules))), rules);
  assert.equal(again.items["REC-01"].answer, "a\ufffdb");
});

test("a kept field named __proto__ stays a field, and is exported", () => {
  const run = emptyRun();
  const kept = {};
  Object.defineProperty(kept, "__proto__", { value: "x", enumerable: true, writable: true, configurable: true });
  run.items["REC-01"] = { status: "done", kept };
  const text = toYaml(exportedRun(run, rules));
  assert.match(text, /\n {4}__proto__: x\n/);
  assert.equal(Object.getPrototypeOf(exportedRun(run, rules).items["REC-01"]), Object.prototype);
});

test("an answer longer than typing allows is refused on import, on its line", () => {
  const long = "a".repeat(rules.maxAnswer + 1);
  const text = `format: playbook-run/1\nitems:\n  REC-01:\n    status: done\n    answer: ${long}\n`;
  const { problems } = readRunBytes(encode(text), rules);
  assert.deepEqual(problems.map(({ code, line }) => [code, line]), [["too-long", 5]]);
  assert.match(problems[0].message, new RegExp(`au plus ${rules.maxAnswer}`));
  const fits = text.replace(long, "a".repeat(rules.maxAnswer));
  assert.deepEqual(readRunBytes(encode(fits), rules).problems, []);
});

test("a file too big is refused before it is read", () => {
  const { problems } = readRunBytes(new Uint8Array(rules.maxBytes + 1), rules);
  assert.deepEqual(problems.map(({ code, line }) => [code, line]), [["too-big", null]]);
  assert.match(problems[0].message, /au plus 5 Mio/);
});

test("bytes that are not UTF-8 are refused with their line", () => {
  const bytes = new Uint8Array([...encode("format: playbook-run/1\nitems:\n  REC-01:\n    answer: \""),
    0xe9, 0x22, 0x0a]);
  const { problems } = readRunBytes(bytes, rules);
  assert.deepEqual(problems.map(({ code, line }) => [code, line]), [["not-utf8", 4]]);
  assert.match(problems[0].message, /0xe9/);
});

test("the tree keeps lines, plain and quoted text, and reads no list's content", () => {
  const tree = readTree("a: 1\nb: 'x'\nc:\nd: [*nothing]\ne:\n  f: ~\n");
  assert.deepEqual(tree.entries.map(({ key, line }) => [key, line]),
    [["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5]]);
  assert.deepEqual(tree.entries[0].value, { type: "scalar", value: "1", plain: true, line: 1 });
  assert.equal(tree.entries[1].value.plain, false);
  assert.deepEqual(tree.entries[2].value, { type: "scalar", value: "", plain: true, line: 3 });
  assert.equal(tree.entries[3].value.type, "list");
  assert.equal(tree.entries[4].value.entries[0].line, 6);
  assert.equal(readTree("\ufeff  \n"), null);
});

test("a billion-laughs file is refused at its first alias, without expanding it", () => {
  const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
  for (let level = 1; level < 10; level += 1) {
    levels.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} ` +
      `{x: *${String.fromCharCode(96 + level)}, y: *${String.fromCharCode(96 + level)}}`);
  }
  const { problems } = readRunBytes(encode(levels.join("\n") + "\nitems: {}\n"), rules);
  // a list is never read, so the first alias refused is the one naming a mapping
  assert.deepEqual(problems.map(({ code }) => code), ["yaml-alias"]);
});
