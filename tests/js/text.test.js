// French typography and the small helpers the pages' words use.
"use strict";

const assert = require("node:assert/strict");
const { test } = require("node:test");
const { playbook } = require("./load.js");

const { french, fr, plural, percent, isValidDate, owns, now } = playbook.text;

test("French spaces before : ; ! ? and inside « », and the apostrophe", () => {
  assert.equal(french("Statut : fait ; vraiment ? oui !"),
    "Statut\u00a0: fait\u202f; vraiment\u202f? oui\u202f!");
  assert.equal(french("« cité »"), "«\u00a0cité\u00a0»");
  assert.equal(french("l'équipe"), "l’équipe");
  assert.equal(french("https://exemple.fr"), "https://exemple.fr");
});

test("fr`` gives typography to its own words, never to the values put in it", () => {
  const name = "a : b 'c'";
  assert.equal(fr`Fichier « ${name} » : ok`, "Fichier «\u00a0a : b 'c'\u00a0»\u00a0: ok");
});

test("plurals, percentages, dates", () => {
  assert.equal(plural(1, "question", "questions"), "1 question");
  assert.equal(plural(0, "question", "questions"), "0 question");
  assert.equal(plural(2, "question", "questions"), "2 questions");
  assert.equal(percent(1, 3), 33);
  assert.equal(percent(0, 0), 0);
  assert.ok(isValidDate(2024, 2, 29) && !isValidDate(2026, 2, 29) && !isValidDate(2026, 13, 1));
  assert.match(now(new Date(2026, 10, 2, 9, 5, 7)), /^2026-11-02T09:05:07[+-]\d\d:\d\d$/);
});

test("own properties only", () => {
  assert.ok(owns({ a: 1 }, "a"));
  assert.ok(!owns({}, "constructor") && !owns({}, "__proto__") && !owns({}, "toString"));
  assert.ok(!owns(null, "a") && !owns("text", "length"));
});

test("a file's name or a quoted value shows its control characters escaped", () => {
  const { shown } = playbook.text;
  assert.equal(shown("suivi\x1b[2J\nfaux\rretour\u202egpj.yaml"),
    "suivi\\x1b[2J\\nfaux\\rretour\\u202egpj.yaml");
  assert.equal(shown("tab\there\u0085\u2028\u2066\ud800"), "tab\\there\\x85\\u2028\\u2066\\ud800");
  // what French typography and real text hold stays as it is
  assert.equal(shown("« Été » : 3\u202f% 😀 \u00a0"), "« Été » : 3\u202f% 😀 \u00a0");
});
