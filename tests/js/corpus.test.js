// The corpus of run files (tests/corpus/runs/), read by the browser's code: each file
// accepted or refused as cases.json says, with the same problems (code and line) as
// `playbook-rh validate` reports (tests/test_run_corpus.py).
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { test } = require("node:test");
const { playbook, rules, REPO } = require("./load.js");

const CORPUS = path.join(REPO, "tests", "corpus", "runs");
const { cases, generated } = JSON.parse(fs.readFileSync(path.join(CORPUS, "cases.json"), "utf8"));

/** A message that says what to do: a verb in the imperative after its last ":", ";" or
 * ".", or the command that makes a run file. */
const HOW_TO_FIX = new RegExp("[:;.]\\s[^:;]*(?<!\\p{L})(?:écrivez|corrigez|retirez|gardez|" +
  "ajoutez|enregistrez|importez|choisissez|raccourcissez|vérifiez|partez)(?!\\p{L})[^;]*$|" +
  "playbook-rh new", "iu");

function generate({ head, line, bytes }) {
  const unit = Buffer.from(line, "utf8");
  const start = Buffer.from(head, "utf8");
  const count = Math.ceil((bytes - start.length) / unit.length);
  return new Uint8Array(Buffer.concat([start, ...Array(count).fill(unit)]));
}

function expect(name, bytes, expected) {
  const result = playbook.checks.readRunBytes(bytes, rules);
  const found = result.problems.map(({ code, line }) => [code, line]);
  if (expected.problems) {
    assert.deepEqual(found, expected.problems, `${name}: ${JSON.stringify(result.problems)}`);
    for (const problem of result.problems) {
      // every problem ends with how to fix it, as the command line's do
      assert.match(problem.message, HOW_TO_FIX, `${name}: ${problem.message}`);
    }
  } else {
    assert.deepEqual(found, [], name);
    assert.equal(Object.keys(result.run.items).length, expected.valid, name);
  }
}

test("every file of the corpus is listed in cases.json, and every case has its file", () => {
  const files = fs.readdirSync(CORPUS).filter((name) => name !== "cases.json").sort();
  assert.deepEqual(files, Object.keys(cases).sort());
});

for (const [name, expected] of Object.entries(cases)) {
  test(`corpus: ${name}`, () => {
    expect(name, new Uint8Array(fs.readFileSync(path.join(CORPUS, name))), expected);
  });
}

for (const [name, recipe] of Object.entries(generated)) {
  test(`corpus (generated): ${name}`, () => {
    const bytes = generate(recipe);
    assert.ok(bytes.length >= recipe.bytes);
    expect(name, bytes, recipe);
  });
}
