// Loads the browser's modules as the joined playbook.js runs them (one global scope,
// in the order static/js/sources.json gives) and the catalogue a build wrote, named by
// PLAYBOOK_CATALOGUE (tests/test_js.py builds the test root "basic" and sets it).
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const SOURCES = path.join(__dirname, "..", "..", "ext", "playbook_rh", "static", "js");
const REPO = path.join(__dirname, "..", "..");

function loadModules() {
  if (!globalThis.playbookRh) {
    const order = JSON.parse(fs.readFileSync(path.join(SOURCES, "sources.json"), "utf8"));
    for (const name of order.modules) {
      const file = path.join(SOURCES, name);
      vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file });
    }
  }
  return globalThis.playbookRh;
}

function loadCatalogue() {
  const file = process.env.PLAYBOOK_CATALOGUE;
  if (!file) {
    throw new Error("PLAYBOOK_CATALOGUE is not set: run these tests with " +
      "`pytest tests/test_js.py`, which builds the catalogue they read");
  }
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(file, "utf8"), sandbox, { filename: file });
  return sandbox.window.playbookCatalogue;
}

const playbook = loadModules();
const catalogue = loadCatalogue();
const rules = playbook.rules(catalogue);

/** A catalogue with an organisation profile (the shapes of the shared contract of
 * issue 15: criteria in vocabulary.playbook_profile, each item's compiled condition in
 * applies) and conditions on the basic root's items, for the tests of the profile. */
function withProfile(extra = {}) {
  const profile = {
    headcount: {
      label: "Effectif", question: "Combien de salariés votre organisation emploie-t-elle ?",
      kind: "bands",
      bands: { "moins-de-11": "Moins de 11 salariés", "11-49": "De 11 à 49 salariés",
        "50-299": "De 50 à 299 salariés", "300-plus": "300 salariés ou plus" },
      bounds: [0, 11, 50, 300],
    },
    "internal-network": { label: "Réseau social interne",
      question: "Votre organisation a-t-elle un réseau social interne ?", kind: "yes-no" },
    sector: { label: "Secteur", question: "Dans quel secteur ?", kind: "choice",
      choices: { public: "Public", private: "Privé" } },
  };
  return {
    ...catalogue,
    vocabulary: { ...catalogue.vocabulary, playbook_profile: profile },
    run: { ...catalogue.run, top_fields: [...new Set([...catalogue.run.top_fields, "profile"])] },
    applies: {
      "REC-02": { crit: "headcount", in: ["50-299", "300-plus"] },
      "TRA-01": { all: [{ crit: "internal-network", in: [true] },
        { not: { crit: "sector", in: ["public"] } }] },
    },
    ...extra,
  };
}

const encode = (text) => new TextEncoder().encode(text);

module.exports = { playbook, catalogue, rules, withProfile, encode, REPO, SOURCES };
