// The bank source editor: turns the plain textarea #bank-source (a form that works without
// JavaScript: Check and Save post it) into a CodeMirror 6 editor with YAML highlighting, live
// checking and completion from the bank JSON Schema.
//
// - The textarea stays in the form, hidden, and always holds the editor's text when the form is
//   sent, so Check and Save work as before.
// - As one types (after a pause) the text is posted to the bank's check URL (the textarea's
//   data-check-url, else this page's URL with /source replaced by /check) with the page's CSRF
//   token; the problems come back with line and column and are shown in the editor (underline,
//   gutter marker, tooltip) and in the page's problem list (#bank-problems), which becomes a live
//   region, each with a button that moves the cursor there.
// - Completion (Ctrl+Space, or as one types a key) offers the keys the schema allows at the
//   cursor (questions/schema.json, served at data-schema-url or /schema/bank.json), the keys of
//   the question's type once `type:` is set, enum values, and the bank's source ids after `id:`
//   in a citation.
// - Tab indents; Escape then Tab (or Shift+Tab) leaves the editor, as the help text says.
// - Needs static/vendor/codemirror-*.min.js (the global `CodeMirror`) loaded before this script;
//   the script tag carries the page's CSP nonce, which CodeMirror puts on its <style> element.
(function () {
  "use strict";

  var script = document.currentScript;
  var nonce = script ? script.nonce || script.getAttribute("nonce") || "" : "";
  var CM = window.CodeMirror;
  var textarea = document.getElementById("bank-source");
  if (!CM || !textarea || !textarea.form) return;

  var form = textarea.form;
  var CHECK_DELAY_MS = 600;
  var checkUrl = textarea.getAttribute("data-check-url") ||
    window.location.pathname.replace(/\/source\/?$/, "/check");
  var schemaUrl = textarea.getAttribute("data-schema-url") || "/schema/bank.json";

  function csrfToken() {
    var field = form.querySelector("input[name=csrf_token]");
    var meta = document.querySelector("meta[name=csrf-token]");
    return field ? field.value : meta ? meta.getAttribute("content") : "";
  }

  function element(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  // --- the YAML structure around the cursor (indentation based, so it works on broken text) ---

  var DASH = /^-(?: +|$)/;
  var KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:\-?{}[\],&*!|>'"%@`][^#:]*?|-[^\s#:][^#:]*?)[ \t]*:(?:[ \t]+|$)(.*)$/;
  var BLOCK_SCALAR = /^[|>][-+0-9]*\s*(?:#.*)?$/;

  function unquote(text) {
    text = text.replace(/\s+#.*$/, "").trim();
    if (/^"(.*)"$/.test(text)) return text.slice(1, -1);
    if (/^'(.*)'$/.test(text)) return text.slice(1, -1).replace(/''/g, "'");
    return text;
  }

  // One line as its starts: the dashes of sequence items, then at most one key.
  function parseLine(text) {
    var indent = text.length - text.replace(/^ +/, "").length;
    var rest = text.slice(indent);
    if (rest === "" || rest[0] === "#" || /^(---|\.\.\.)(\s|$)/.test(rest)) return null;
    var starts = [];
    var col = indent;
    var m;
    while ((m = DASH.exec(rest))) {
      starts.push({ col: col, kind: "item" });
      col += m[0].length;
      rest = rest.slice(m[0].length);
    }
    m = KEY.exec(rest);
    if (m) starts.push({ col: col, kind: "key", name: unquote(m[1]), value: m[2] });
    return { indent: indent, starts: starts, rest: rest, col: col };
  }

  function Structure() {
    this.root = { col: -1, kind: "root", keys: new Map() };
    this.stack = [this.root];
  }
  Structure.prototype.top = function () { return this.stack[this.stack.length - 1]; };
  Structure.prototype.popTo = function (col, kind) {
    while (this.stack.length > 1) {
      var top = this.top();
      if (top.col > col || (top.col === col && (kind === "key" || top.kind === "item"))) this.stack.pop();
      else break;
    }
  };
  Structure.prototype.add = function (start) {
    this.popTo(start.col, start.kind);
    var entry = { col: start.col, kind: start.kind, name: start.name, keys: new Map() };
    if (start.kind === "key") this.top().keys.set(start.name, { value: start.value, entry: entry });
    this.stack.push(entry);
    return entry;
  };

  // What the cursor completes: a key at some column, or the value of a key; with the chain of
  // entries from the root to the mapping it is in (whose keys, before and after the cursor, are known).
  function cursorContext(doc, pos) {
    var line = doc.lineAt(pos);
    var before = line.text.slice(0, pos - line.from);
    var structure = new Structure();
    var blockCol = null; // inside a block scalar (| or >) of a key at this column
    var context = null;
    for (var n = 1; n <= doc.lines; n++) {
      var text = doc.line(n).text;
      if (n === line.number) {
        if (/(^|\s)#/.test(before)) return null; // in a comment
        var parsed = parseLine(before) || { indent: before.length, starts: [], rest: "", col: before.length };
        blockCol = null;
        var starts = parsed.starts;
        var last = starts[starts.length - 1];
        var keyStart = last && last.kind === "key" ? last : null;
        starts.filter(function (s) { return s.kind === "item"; }).forEach(function (s) { structure.add(s); });
        if (keyStart) { // `key: partial` → a value
          var value = keyStart.value;
          if (/["'{}[\]#]/.test(value)) return null;
          structure.popTo(keyStart.col, "key");
          context = { kind: "value", key: keyStart.name, chain: structure.stack.slice(), from: pos - value.length };
          structure.add(keyStart);
        } else {
          var partial = parsed.rest;
          if (!/^[\w.$-]*$/.test(partial)) return null;
          structure.popTo(parsed.col, "key");
          context = { kind: "key", col: parsed.col, chain: structure.stack.slice(), from: pos - partial.length };
        }
        continue;
      }
      var info = parseLine(text);
      if (!info) continue;
      if (blockCol !== null) {
        if (info.indent > blockCol) continue;
        blockCol = null;
      }
      for (var i = 0; i < info.starts.length; i++) {
        var entry = structure.add(info.starts[i]);
        if (entry.kind === "key" && BLOCK_SCALAR.test(info.starts[i].value)) blockCol = entry.col;
      }
    }
    if (context) context.root = structure.root;
    return context;
  }

  // --- the schema at a place -------------------------------------------------------------

  function resolve(schema, node) {
    var seen = 0;
    while (node && typeof node === "object" && node.$ref && seen++ < 20) {
      var parts = node.$ref.replace(/^#\/?/, "").split("/").filter(Boolean);
      node = parts.reduce(function (at, part) { return at && at[part.replace(/~1/g, "/").replace(/~0/g, "~")]; }, schema);
    }
    return node && typeof node === "object" ? node : null;
  }

  function conditionHolds(condition, keys) {
    var props = (condition && condition.properties) || {};
    return Object.keys(props).every(function (name) {
      var known = keys.get(name);
      if (!known) return false;
      var value = unquote(known.value || "");
      var rule = props[name] || {};
      if (rule.const !== undefined && String(rule.const) !== value) return false;
      if (rule.enum && rule.enum.map(String).indexOf(value) < 0) return false;
      return true;
    });
  }

  // name → {schema, required} for the properties a mapping may have, given its keys so far.
  function propertiesOf(schema, node, keys, into) {
    into = into || new Map();
    node = resolve(schema, node);
    if (!node) return into;
    var required = node.required || [];
    Object.keys(node.properties || {}).forEach(function (name) {
      var sub = node.properties[name];
      var known = into.get(name);
      if (sub && typeof sub === "object") into.set(name, { schema: sub, required: required.indexOf(name) >= 0 || (known && known.required) });
      else if (known && required.indexOf(name) >= 0) known.required = true;
    });
    required.forEach(function (name) { var known = into.get(name); if (known) known.required = true; });
    [].concat(node.allOf || [], node.anyOf || [], node.oneOf || []).forEach(function (branch) {
      branch = resolve(schema, branch);
      if (!branch) return;
      if (branch.if) {
        if (conditionHolds(resolve(schema, branch.if), keys)) propertiesOf(schema, branch.then, keys, into);
        else if (branch.else) propertiesOf(schema, branch.else, keys, into);
      } else {
        propertiesOf(schema, branch, keys, into);
      }
    });
    return into;
  }

  function childSchema(schema, node, name, keys) {
    var found = propertiesOf(schema, node, keys).get(name);
    if (found) return resolve(schema, found.schema);
    node = resolve(schema, node);
    if (!node) return null;
    var patterns = node.patternProperties || {};
    for (var pattern in patterns) {
      try { if (new RegExp(pattern).test(name)) return resolve(schema, patterns[pattern]); } catch (e) { /* skip */ }
    }
    return typeof node.additionalProperties === "object" ? resolve(schema, node.additionalProperties) : null;
  }

  function itemSchema(schema, node) {
    node = resolve(schema, node);
    if (!node) return null;
    if (node.items && typeof node.items === "object") return resolve(schema, node.items);
    var branches = [].concat(node.anyOf || [], node.oneOf || []);
    for (var i = 0; i < branches.length; i++) {
      var items = itemSchema(schema, branches[i]);
      if (items) return items;
    }
    return null;
  }

  // The schema of the mapping that the last entry of the chain holds.
  function schemaAt(schema, chain) {
    var node = schema;
    for (var i = 1; i < chain.length && node; i++) {
      node = chain[i].kind === "item" ? itemSchema(schema, node) : childSchema(schema, node, chain[i].name, chain[i - 1].keys);
    }
    return node;
  }

  function typesOf(schema, node) {
    node = resolve(schema, node) || {};
    var types = [].concat(node.type || []);
    [].concat(node.anyOf || [], node.oneOf || []).forEach(function (b) { types = types.concat(typesOf(schema, b)); });
    return types;
  }

  function valuesOf(schema, node) {
    node = resolve(schema, node) || {};
    var values = [].concat(node.enum || [], node.const !== undefined ? [node.const] : []);
    if (typesOf(schema, node).indexOf("boolean") >= 0) values = values.concat([true, false]);
    [].concat(node.anyOf || [], node.oneOf || []).forEach(function (b) { values = values.concat(valuesOf(schema, b)); });
    return values.filter(function (v, i) { return values.indexOf(v) === i; });
  }

  var schemaPromise = null;
  function loadSchema() {
    if (!schemaPromise) {
      schemaPromise = fetch(schemaUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .catch(function () { schemaPromise = null; return null; });
    }
    return schemaPromise;
  }

  function completeFromSchema(ctx) {
    var word = ctx.matchBefore(/[\w.$-]*/);
    if (!ctx.explicit && (!word || word.from === word.to)) {
      var lineBefore = ctx.state.doc.lineAt(ctx.pos);
      var head = lineBefore.text.slice(0, ctx.pos - lineBefore.from);
      if (!/:\s+$/.test(head)) return null; // after `key: ` values are offered at once
    }
    var place = cursorContext(ctx.state.doc, ctx.pos);
    if (!place) return null;
    return loadSchema().then(function (schema) {
      if (!schema) return null;
      var chain = place.chain;
      var mapping = chain[chain.length - 1];
      var node = schemaAt(schema, chain);
      var options = [];
      if (place.kind === "key") {
        var indent = " ".repeat(place.col);
        propertiesOf(schema, node, mapping.keys).forEach(function (prop, name) {
          if (mapping.keys.has(name)) return;
          var types = typesOf(schema, prop.schema);
          var apply = name + ": ";
          if (types.length === 1 && types[0] === "object") apply = name + ":\n" + indent + "  ";
          else if (types.length === 1 && types[0] === "array") apply = name + ":\n" + indent + "  - ";
          options.push({ label: name, type: "property", apply: apply, boost: prop.required ? 1 : 0,
            detail: prop.required ? "required" : "", info: (resolve(schema, prop.schema) || {}).description });
        });
      } else {
        var valueSchema = childSchema(schema, node, place.key, mapping.keys);
        valuesOf(schema, valueSchema).forEach(function (value) {
          options.push({ label: String(value), type: typeof value === "boolean" ? "keyword" : "enum" });
        });
        if (place.key === "id" && mapping.kind === "key" && mapping.name === "source") {
          var sources = place.root.keys.get("sources");
          if (sources) sources.entry.keys.forEach(function (_, id) { options.push({ label: id, type: "variable", detail: "source" }); });
        }
        var infoText = (valueSchema || {}).description;
        if (infoText) options.forEach(function (o) { if (!o.info) o.info = infoText; });
      }
      if (!options.length) return null;
      return { from: place.from, options: options, validFor: /^[\w.$-]*$/ };
    });
  }

  // --- live check --------------------------------------------------------------------------

  // The page's problem list (#bank-problems, server-rendered for the text as loaded) is kept up
  // to date and becomes a live region once the first live result is in; without one, the
  // script adds its own below the editor.
  var region = document.getElementById("bank-problems");
  var ownRegion = !region;
  if (ownRegion) region = element("section", { id: "bank-problems", class: "problems", "aria-labelledby": "problems-heading", "aria-live": "polite" });
  var heading = region.querySelector("h2") || region.appendChild(element("h2", { id: "problems-heading" }));
  var shown = null;
  var view = null;

  function locate(doc, problem) {
    var lineNo = Math.min(Math.max(1, problem.line | 0), doc.lines);
    var line = doc.line(lineNo);
    var from = line.from + Math.min(Math.max(0, (problem.col | 0) - 1), line.length);
    var rest = doc.sliceString(from, line.to);
    var token = /^\S+/.exec(rest);
    var to = token ? from + token[0].length : line.to;
    return { from: from, to: Math.max(to, from) };
  }

  function show(title, problems, note) {
    var key = JSON.stringify([title, problems, note]);
    if (key === shown) return; // an unchanged result is not announced again
    var first = shown === null;
    shown = key;
    heading.textContent = title;
    Array.prototype.slice.call(region.children).forEach(function (child) { if (child !== heading) region.removeChild(child); });
    if (note) region.appendChild(element("p", { class: "muted" }, note));
    if (first) region.setAttribute("aria-live", "polite"); // later results are announced
    if (!problems || !problems.length) return;
    var list = element("ol", { class: "lint-list", role: "list" });
    problems.forEach(function (problem) {
      var item = element("li");
      var jump = element("button", { type: "button", class: "link-button",
        "aria-label": "Go to line " + problem.line + ", column " + problem.col });
      jump.appendChild(element("code", {}, problem.path + ":" + problem.line + ":" + problem.col));
      jump.addEventListener("click", function () {
        var at = locate(view.state.doc, problem);
        view.dispatch({ selection: { anchor: at.from, head: at.to }, scrollIntoView: true });
        view.focus();
      });
      item.appendChild(jump);
      item.appendChild(document.createTextNode(" " + problem.message));
      list.appendChild(item);
    });
    region.appendChild(list);
  }

  function checkSource(editorView) {
    var doc = editorView.state.doc;
    var body = new FormData(); // multipart: the text is sent as it is, not percent-encoded
    body.set("csrf_token", csrfToken());
    body.set("source", doc.toString());
    return fetch(checkUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok || !Array.isArray(data.problems)) {
          show("Not checked", null, data.error || "The check failed (" + response.status + "). Your text is kept; use the Check button.");
          return [];
        }
        if (editorView.state.doc !== doc) return []; // typed meanwhile: the next check follows
        var problems = data.problems;
        show(problems.length === 0 ? "No problems" : problems.length + " problem" + (problems.length === 1 ? "" : "s"),
          problems, problems.length === 0 ? "The bank passes the full check: it can be published." : null);
        return problems.map(function (problem) {
          var at = locate(doc, problem);
          return { from: at.from, to: at.to, severity: "error", message: problem.message,
            source: problem.path + ":" + problem.line + ":" + problem.col };
        });
      });
    }, function () {
      show("Not checked", null, "The check could not reach the server. Your text is kept; use the Check button.");
      return [];
    });
  }

  // --- the editor ----------------------------------------------------------------------------

  var label = document.querySelector('label[for="bank-source"]');
  if (label && !label.id) label.id = "bank-source-label";
  var help = element("p", { id: "bank-source-keys", class: "help" },
    "Tab indents. To leave the editor with the keyboard, press Esc, then Tab (or Shift+Tab); " +
    "Ctrl+M switches Tab between indenting and moving on. " +
    "Ctrl+Space suggests keys and values, Ctrl+F searches, Ctrl+Shift+M lists the problems.");
  var host = element("div", { class: "source-editor" });

  var darkScheme = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var themeSlot = new CM.Compartment();
  function themeNow() { return darkScheme && darkScheme.matches ? CM.darkTheme : CM.lightTheme; }

  var syncTimer = 0;
  function syncTextarea() {
    clearTimeout(syncTimer);
    if (view) textarea.value = view.state.doc.toString();
  }

  var describedBy = (textarea.getAttribute("aria-describedby") || "").split(/\s+/)
    .filter(function (id) { return id && id !== "bank-problems"; }).concat(["bank-source-keys"]).join(" ");
  var contentAttributes = { "aria-describedby": describedBy, spellcheck: "false" };
  if (label) contentAttributes["aria-labelledby"] = label.id;
  else contentAttributes["aria-label"] = "Bank source (YAML)";

  try {
    textarea.parentNode.insertBefore(help, textarea);
    textarea.parentNode.insertBefore(host, textarea);
    if (ownRegion) host.parentNode.insertBefore(region, textarea.nextSibling);
    view = new CM.EditorView({
      parent: host,
      state: CM.EditorState.create({
        doc: textarea.value,
        extensions: [
          CM.EditorView.cspNonce.of(nonce),
          CM.editingSetup,
          CM.yaml(),
          themeSlot.of(themeNow()),
          CM.EditorView.theme({
            "&": { maxHeight: "75vh" },
            ".cm-scroller": { overflow: "auto" },
            ".cm-content, .cm-gutter": { minHeight: "20rem" },
          }),
          CM.EditorView.contentAttributes.of(contentAttributes),
          CM.EditorView.lineWrapping,
          CM.lintGutter(),
          CM.linter(checkSource, { delay: CHECK_DELAY_MS }),
          CM.autocompletion({ override: [completeFromSchema] }),
          CM.EditorView.updateListener.of(function (update) {
            if (update.docChanged) {
              clearTimeout(syncTimer);
              syncTimer = setTimeout(syncTextarea, 200);
            }
          }),
        ],
      }),
    });
  } catch (error) { // the plain textarea still works
    [help, host].concat(ownRegion ? [region] : []).forEach(function (node) { if (node.parentNode) node.parentNode.removeChild(node); });
    throw error;
  }
  textarea.hidden = true;
  textarea.removeAttribute("required");
  textarea.setAttribute("data-enhanced", "");
  form.addEventListener("submit", syncTextarea);
  form.addEventListener("formdata", function (event) { // form.submit() skips the submit event
    syncTextarea();
    if (event.formData.has(textarea.name)) event.formData.set(textarea.name, textarea.value);
  });
  if (label) label.addEventListener("click", function () { view.focus(); });
  if (darkScheme) {
    darkScheme.addEventListener("change", function () {
      view.dispatch({ effects: themeSlot.reconfigure(themeNow()) });
    });
  }
  window.bankSourceEditor = view; // for the browser tests and the console
})();
