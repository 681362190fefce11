/* The page's controls: on a checklist page each item gets a status and a short answer,
 * ticking its checkbox marks it done, progress shows per checklist and per phase; the
 * dashboard (`checklist-progress`) shows progress phase by phase and asks the
 * organisation's profile once. Answers stay in this browser, can be exported as a run
 * file (the format `playbook-rh validate` reads) and imported back, after checking.
 *
 * The server HTML is a complete static checklist (every question shown); this only
 * enhances it. Data from files or storage is only ever written with textContent and
 * attributes, never parsed as HTML. */
(function (playbook) {
  "use strict";

  const catalogue = globalThis.playbookCatalogue;
  if (!catalogue || typeof document === "undefined") return;
  const checklists = [...document.querySelectorAll(".playbook-checklist")];
  const dashboards = [...document.querySelectorAll("[data-playbook-dashboard]")];
  if (!checklists.length && !dashboards.length) return;

  const { fr, french, now, today, plural, percent, owns, shown } = playbook.text;
  const { readRunBytes, exportedRun, emptyRun, isBlank, newRunId } = playbook.checks;
  const { toYaml, toJson } = playbook.runfile;
  const { choicesOf } = playbook.profile;
  const { counts, appliesUnder } = playbook.progress;
  const rules = playbook.rules(catalogue);
  const STORAGE_KEY = "playbook-rh-reseaux-sociaux:run";
  const withProfile = rules.criteria.size > 0 && rules.topFields.includes("profile");

  let run = emptyRun();
  let itemProblems = new Map(); // ID -> what is wrong with its stored values
  let applies = () => true;

  /** An element with attributes and text: the only way this script makes markup. */
  function el(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- the reader's run, in this browser ---------------------------------------------------

  function save() {
    try {
      playbook.storage.save(localStorage, STORAGE_KEY, run, rules);
    } catch {
      say("error", [fr`Vos réponses n'ont pas pu être enregistrées dans ce navigateur ` +
        "(stockage désactivé ou plein). Exportez-les pour ne pas les perdre."]);
    }
  }

  function load() {
    let result;
    try {
      result = playbook.storage.load(localStorage, STORAGE_KEY, rules);
    } catch {
      return; // storage disabled: the page works, nothing is kept
    }
    run = result.run;
    itemProblems = new Map();
    const general = [];
    for (const problem of result.problems) {
      if (problem.item) {
        itemProblems.set(problem.item, [...(itemProblems.get(problem.item) || []), problem]);
      } else {
        general.push(problem.message);
      }
    }
    if (result.unreadable) {
      say("error", [fr`Les réponses enregistrées dans ce navigateur sont illisibles ; ` +
        fr`une copie en est gardée (clé « ${result.unreadable} » du stockage local).`]);
    } else if (result.problems.length || result.notices.length) {
      const items = [...itemProblems.keys()];
      const intro = items.length
        ? fr`Des valeurs enregistrées pour ${items.join(", ")} ne sont pas reconnues : ` +
          "elles sont gardées telles quelles et exportées ; vos autres réponses sont là."
        : fr`Vos réponses sont là ; à savoir :`;
      say(result.problems.length ? "error" : "info", [intro], [...general, ...result.notices,
        ...[...itemProblems.values()].flat().map(({ message }) => message)]);
    }
  }

  function update(id, changes) {
    const previous = owns(run.items, id) ? run.items[id] : { status: rules.todo };
    const entry = { ...previous, ...changes, updated: now() };
    if (entry.kept) { // a value typed replaces the one kept for that field
      entry.kept = { ...entry.kept };
      for (const field of Object.keys(changes)) delete entry.kept[field];
      if (!Object.keys(entry.kept).length) delete entry.kept;
    }
    if (isBlank(entry, rules)) delete run.items[id];
    else run.items[id] = entry;
    if (itemProblems.has(id)) { // the fields given a value are mended
      const left = itemProblems.get(id).filter(({ field }) => !Object.hasOwn(changes, field));
      if (left.length) itemProblems.set(id, left);
      else itemProblems.delete(id);
    }
    if (!run.started) { // the run starts: its day and, once, its own identifier
      run.started = today();
      if (!run.id && rules.topFields.includes("id")) run.id = newRunId();
    }
    save();
    refresh();
  }

  // -- export, import, reset ------------------------------------------------------------------

  function download(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
    const link = el("a", { href: url, download: name });
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000); // at once could cancel the download
  }

  function exportAs(kind) {
    const data = exportedRun(run, rules);
    const name = `suivi-playbook-${today()}.${kind}`;
    if (kind === "json") download(toJson(data), name, "application/json");
    else download(toYaml(data), name, "application/yaml");
    const answered = Object.keys(run.items).length;
    const questions = plural(rules.allIds.length, "question", "questions");
    say("success", [fr`Fichier « ${name} » enregistré : ${questions}, ` +
      `dont ${answered} avec une réponse ou un statut.`]);
  }

  async function importFile(file) {
    if (file.size > rules.maxBytes) { // not even read
      say("error", [fr`« ${file.name} » n'a pas été importé : ` +
        fr`un fichier de suivi fait au plus ${rules.maxBytes / 1048576} Mio.`]);
      return;
    }
    const result = readRunBytes(new Uint8Array(await file.arrayBuffer()), rules);
    if (result.problems.length) {
      const lines = result.problems.map(({ line, message }) => (line
        ? fr`Ligne ${line} : ${message}`
        : message.charAt(0).toUpperCase() + message.slice(1)));
      say("error", [fr`« ${file.name} » n'a pas été importé, rien n'a changé. À corriger :`],
        lines);
      return;
    }
    const hasAnswers = Object.keys(run.items).length > 0 || run.organisation;
    if (hasAnswers && !window.confirm("Remplacer les réponses enregistrées dans ce " +
        fr`navigateur par celles de « ${shown(file.name)} » ?`)) {
      say("info", [fr`Import annulé : vos réponses n'ont pas changé.`]);
      return;
    }
    run = result.run;
    itemProblems = new Map();
    save();
    refresh();
    const count = Object.keys(run.items).length;
    const answered = plural(count, "question renseignée", "questions renseignées");
    say("success", [fr`« ${file.name} » importé : ${answered}.`], result.notices);
  }

  function reset() {
    if (!window.confirm(fr`Effacer toutes vos réponses enregistrées dans ce navigateur ? ` +
        fr`C'est définitif : exportez-les d'abord pour les garder.`)) return;
    run = emptyRun();
    itemProblems = new Map();
    try {
      localStorage.removeItem(STORAGE_KEY);
    } catch {
      // storage disabled: nothing was kept
    }
    refresh();
    say("success", ["Vos réponses ont été effacées de ce navigateur."]);
  }

  // -- the items ----------------------------------------------------------------------------

  const items = new Map(); // ID -> its controls
  const progressViews = []; // functions redrawing a progress display
  const messageAreas = [];
  const organisationInputs = [];
  const profileSelects = []; // [criterion key, select]
  let uid = 0;

  /** A visible label, with words only screen readers hear (which item it is for). */
  function label(forId, text, hidden) {
    const node = el("label", { for: forId }, text);
    node.append(el("span", { class: "playbook-sr-only" }, hidden));
    return node;
  }

  function enhanceItem(element) {
    const id = element.dataset.item;
    const checkbox = element.querySelector(".playbook-checkbox");
    if (!rules.phaseOf.has(id) || !checkbox) return;
    const panel = el("div", { class: "playbook-answer" });

    const statusField = el("div", { class: "playbook-field" });
    const select = el("select", { id: `status-${id}`, class: "playbook-status" });
    for (const [key, text] of rules.statuses) select.append(el("option", { value: key }, text));
    statusField.append(label(select.id, "Statut", ` de ${id}`), select);

    const noteField = el("div", { class: "playbook-field playbook-field-note" });
    const note = el("textarea", {
      id: `note-${id}`, class: "playbook-note", rows: "2", maxlength: String(rules.maxAnswer),
    });
    noteField.append(label(note.id, "Réponse ou note", ` pour ${id}`), note);

    const details = el("p", { class: "playbook-details" }); // imported owner, due, evidence
    const problem = el("p", { class: "playbook-item-problem" }); // a stored value not read
    const printed = el("div", { class: "playbook-print-only" }); // what paper shows instead
    panel.append(statusField, noteField, details, problem, printed);
    element.append(panel);

    // Out of scope for the organisation's profile: folded to one line, its reason, and
    // a button to show it anyway (its answers are kept).
    const scope = el("div", { class: "playbook-scope", hidden: "" });
    const reason = el("p", { class: "playbook-scope-reason" });
    const toggle = el("button", { type: "button", class: "playbook-scope-toggle",
      "aria-expanded": "false" }, "Afficher la question");
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.textContent = open ? "Replier la question" : "Afficher la question";
      element.classList.toggle("playbook-unfolded", open);
    });
    scope.append(reason, toggle);
    element.prepend(scope);

    checkbox.addEventListener("change",
      () => update(id, { status: checkbox.checked ? rules.done : rules.todo }));
    select.addEventListener("change", () => update(id, { status: select.value }));
    note.addEventListener("input", () => update(id, { answer: note.value }));
    items.set(id, { element, checkbox, select, note, details, problem, printed, scope, reason });
  }

  function renderItem(id, controls) {
    const entry = owns(run.items, id) ? run.items[id] : { status: rules.todo };
    controls.checkbox.checked = entry.status === rules.done;
    controls.select.value = entry.status;
    // Only when it differs: rewriting the same text would move the caret while typing.
    if (controls.note.value !== (entry.answer || "")) controls.note.value = entry.answer || "";
    controls.element.dataset.status = entry.status;

    const details = [];
    if (entry.owner) details.push(fr`Responsable : ${entry.owner}`);
    if (entry.due) details.push(fr`Échéance : ${entry.due}`);
    if (entry.evidence) details.push(fr`Justificatif : ${entry.evidence}`);
    controls.details.textContent = details.join(" · ");
    controls.details.hidden = !details.length;

    const problems = itemProblems.get(id) || [];
    controls.problem.textContent = problems.length
      ? fr`Valeur enregistrée non reconnue, gardée telle quelle : ` +
        problems.map(({ message }) => message).join(" ") : "";
    controls.problem.hidden = !problems.length;

    const out = !applies(id);
    controls.scope.hidden = !out;
    controls.element.classList.toggle("playbook-out-of-scope", out);
    if (out) {
      // The condition in words is the build's line under the item.
      const words = controls.element.querySelector(".playbook-item-applies");
      const answered = owns(run.items, id) ? " Vos réponses restent gardées." : "";
      controls.reason.textContent = french("Ne s'applique pas au profil de votre " +
        "organisation.") + (words ? ` ${words.textContent.trim()}` : "") + answered;
    }

    const status = el("p", {}, fr`Statut : ${rules.statuses.get(entry.status)}`);
    const answer = entry.answer
      ? el("p", { class: "playbook-print-note" }, fr`Réponse : ${entry.answer}`)
      : el("p", { class: "playbook-print-note playbook-print-blank" }, fr`Réponse :`);
    controls.printed.replaceChildren(status, answer);
  }

  // -- progress -------------------------------------------------------------------------------

  const progressText = ({ complete, total, outOfScope }) =>
    `${plural(complete, "question traitée", "questions traitées")} sur ${total} ` +
    `(${percent(complete, total)}\u202f%)` +
    (outOfScope ? french(` ; ${plural(outOfScope, "autre question ne s'applique",
      "autres questions ne s'appliquent")} pas`) : "");

  /** A progress bar; `name` gives its accessible name (aria-labelledby or aria-label). */
  const progressBar = ({ complete, total }, name) =>
    el("progress", { max: String(total || 1), value: String(complete), ...name });

  /** Above a checklist: its progress and, if the phase has items elsewhere, the phase's. */
  function checklistProgress(list) {
    const ids = [...list.querySelectorAll(".playbook-item")].map((item) => item.dataset.item)
      .filter((id) => rules.phaseOf.has(id));
    if (!ids.length) return null;
    const phase = rules.phaseOf.get(ids[0]);
    const box = el("div", { class: "playbook-progress" });
    const number = ++uid;
    progressViews.push(() => {
      const lines = [];
      const own = counts(ids, run, rules, applies);
      const samePhase = phase.items.length === ids.length;
      const name = samePhase ? fr`Phase « ${phase.label} »` : "Cette checklist";
      lines.push([fr`${name} : ${progressText(own)}`, own]);
      if (!samePhase) {
        const whole = counts(phase.items, run, rules, applies);
        lines.push([fr`Phase « ${phase.label} » : ${progressText(whole)}`, whole]);
      }
      box.replaceChildren(...lines.flatMap(([text, count], index) => {
        const labelId = `playbook-progress-${number}-${index}`;
        return [el("p", { id: labelId, class: "playbook-progress-label" }, text),
          progressBar(count, { "aria-labelledby": labelId })];
      }));
    });
    return box;
  }

  /** The dashboard: a table of progress per phase, and the whole playbook's. */
  function dashboard(container) {
    const root = document.documentElement.dataset.content_root || "";
    const table = el("table", { class: "playbook-dashboard-table" });
    table.append(el("caption", {},
      "Questions traitées, phase par phase (réponses enregistrées dans ce navigateur)"));
    const head = el("tr");
    const titles = ["Phase", "Questions traitées", "En cours"];
    if (withProfile) titles.push(french("Ne s'appliquent pas"));
    for (const title of [...titles, "Progression"]) head.append(el("th", { scope: "col" }, title));
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    const foot = el("tfoot");
    table.append(thead, body, foot);
    const wrapper = el("div", { class: "playbook-table-wrapper" });
    wrapper.append(table);
    container.replaceChildren(wrapper);

    const row = (title, ids, href) => {
      const count = counts(ids, run, rules, applies);
      const tr = el("tr");
      const th = el("th", { scope: "row" });
      if (href) th.append(el("a", { href }, title));
      else th.textContent = title;
      const bar = el("td");
      bar.append(progressBar(count, { "aria-label": fr`Progression : ${title}` }));
      const share = `${count.complete} sur ${count.total} ` +
        `(${percent(count.complete, count.total)}\u202f%)`;
      tr.append(th, el("td", {}, share), el("td", {}, String(count.started)));
      if (withProfile) tr.append(el("td", {}, String(count.outOfScope)));
      tr.append(bar);
      return tr;
    };
    progressViews.push(() => {
      body.replaceChildren(
        ...rules.phases.map((phase) => row(phase.label, phase.items, root + phase.page)));
      foot.replaceChildren(row("Ensemble du playbook", rules.allIds));
    });
  }

  /** The organisation's profile, asked once (on the dashboard): one choice per criterion;
   * "not said" leaves every question that depends on it shown. */
  function profileForm() {
    const number = ++uid;
    const box = el("fieldset", { class: "playbook-profile" });
    box.append(el("legend", {}, "Profil de votre organisation"));
    box.append(el("p", { class: "playbook-profile-help" }, french("Les questions qui ne " +
      "s'appliquent pas à votre organisation se replient, et la progression ne les compte " +
      "pas. Vos réponses restent gardées si vous changez le profil.")));
    for (const [key, criterion] of rules.criteria) {
      const field = el("div", { class: "playbook-field" });
      const select = el("select", { id: `playbook-profile-${number}-${key}`, "data-criterion": key });
      select.append(el("option", { value: "" }, "Non précisé"));
      for (const [value, text] of choicesOf(criterion)) {
        select.append(el("option", { value: String(value) }, text));
      }
      select.addEventListener("change", () => {
        const choice = choicesOf(criterion).find(([value]) => String(value) === select.value);
        run.profile = { ...run.profile };
        if (choice) run.profile[key] = choice[0];
        else delete run.profile[key];
        if (run.kept.profile) delete run.kept.profile[key];
        save();
        refresh();
      });
      field.append(el("label", { for: select.id }, french(criterion.question || criterion.label)), select);
      box.append(field);
      profileSelects.push([key, select]);
    }
    return box;
  }

  /** Export, import, reset and the organisation's name; once per page. */
  function tools() {
    const number = ++uid;
    const box = el("div", {
      class: "playbook-tools", role: "group", "aria-labelledby": `playbook-tools-${number}`,
    });
    box.append(el("p", { id: `playbook-tools-${number}`, class: "playbook-tools-title" },
      "Vos réponses restent dans ce navigateur. Exportez-les pour les garder, les partager " +
      "ou les suivre avec la commande playbook-rh."));

    const field = el("div", { class: "playbook-field" });
    const organisation = el("input", {
      id: `playbook-organisation-${number}`, type: "text", autocomplete: "organization",
      class: "playbook-organisation",
    });
    field.append(el("label", { for: organisation.id }, "Organisation (facultatif)"), organisation);
    organisation.addEventListener("input", () => {
      run.organisation = organisation.value;
      save();
      for (const input of organisationInputs) {
        if (input !== organisation) input.value = run.organisation;
      }
    });
    organisationInputs.push(organisation);

    const buttons = el("div", { class: "playbook-buttons" });
    const button = (text, action, extra = {}) => {
      const node = el("button", { type: "button", ...extra }, text);
      node.addEventListener("click", action);
      buttons.append(node);
    };
    // Hidden: the button opens it (a file input cannot be labelled and styled well).
    const picker = el("input", { type: "file", accept: ".yaml,.yml,.json" });
    picker.hidden = true;
    picker.addEventListener("change", () => {
      if (picker.files.length) importFile(picker.files[0]);
      picker.value = ""; // the same file can be chosen again
    });
    button("Exporter (YAML)", () => exportAs("yaml"));
    button("Exporter (JSON)", () => exportAs("json"));
    button("Importer un fichier…", () => picker.click());
    button("Tout effacer…", reset, { class: "playbook-danger" });
    buttons.append(picker);

    const message = el("div", { class: "playbook-message", role: "status", tabindex: "-1" });
    message.hidden = true;
    messageAreas.push(message);
    box.append(field, buttons, message);
    return box;
  }

  /** Show a message (texts and an optional list) in every message area of the page. */
  function say(kind, paragraphs, list = []) {
    for (const area of messageAreas) {
      // a file's name or a value quoted from a file: its control characters and
      // bidirectional overrides shown escaped, never acted on
      const nodes = paragraphs.map((text) => el("p", {}, shown(text)));
      if (list.length) {
        const ul = el("ul");
        for (const text of list) ul.append(el("li", {}, shown(text)));
        nodes.push(ul);
      }
      area.replaceChildren(...nodes);
      area.className = `playbook-message playbook-message-${kind}`;
      area.hidden = false;
    }
    // Errors take the focus, so keyboard and screen-reader users land on them.
    if (kind === "error" && messageAreas.length) messageAreas[0].focus();
  }

  function refresh() {
    applies = appliesUnder(rules, run.profile);
    for (const [id, controls] of items) renderItem(id, controls);
    for (const view of progressViews) view();
    for (const input of organisationInputs) {
      if (input.value !== run.organisation) input.value = run.organisation;
    }
    for (const [key, select] of profileSelects) {
      select.value = owns(run.profile, key) ? String(run.profile[key]) : "";
    }
  }

  // -- start ---------------------------------------------------------------------------------

  document.documentElement.classList.add("playbook-enhanced");
  let toolbox = null;
  for (const container of dashboards) {
    dashboard(container);
    if (!toolbox) {
      if (withProfile) container.prepend(profileForm());
      container.append((toolbox = tools()));
    }
  }
  for (const list of checklists) {
    list.querySelectorAll(".playbook-item[data-item]").forEach(enhanceItem);
    const progress = checklistProgress(list);
    if (progress) list.before(progress);
    if (!toolbox) list.before((toolbox = tools()));
  }
  load();
  refresh();
  // Another tab changed the answers: show them here too.
  window.addEventListener("storage", (event) => {
    if (event.key === STORAGE_KEY || event.key === null) {
      load();
      refresh();
    }
  });
})(globalThis.playbookRh = globalThis.playbookRh || {});
