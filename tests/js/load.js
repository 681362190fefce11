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

/** A catalogue with the organisation profile of the shared contract (issue 15), for
 * the tests of the profile until the build writes one. */
function withProfile(extra = {}) {
  return {
    ...catalogue,
    run: { ...catalogue.run, top_fields: [...catalogue.run.top_fields, "profile"] },
    profile: {
      headcount: {
        label: "Effectif", question: "Combien de salariés compte votre organisation ?",
        kind: "bands",
        bands: { "moins-de-11": "moins de 11", "11-49": "11 à 49", "50-299": "50 à 299",
          "300-plus": "300 et plus" },
        bounds: [0, 11, 50, 300],
      },
      "internal-network": { label: "Réseau social interne",
        question: "Votre organisation a-t-elle un réseau social interne ?", kind: "yes-no" },
      sector: { label: "Secteur", question: "Secteur ?", kind: "choice",
        choices: { public: "public", private: "privé" } },
    },
    applies: {
      "REC-02": { tree: { crit: "headcount", in: ["50-299", "300-plus"] } },
      "TRA-01": { tree: { all: [{ crit: "internal-network", in: [true] },
        { not: { crit: "sector", in: ["public"] } }] } },
    },
    ...extra,
  };
}

const encode = (text) => new TextEncoder().encode(text);

module.exports = { playbook, catalogue, rules, withProfile, encode, REPO, SOURCES };
