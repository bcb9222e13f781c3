// The CodeMirror 6 pieces the bank source editor uses (static/js/source-editor.js), bundled by
// build.mjs into one file in static/vendor/ that defines the global `CodeMirror`.
// The two themes take their colours from the app's design tokens (CSS custom properties in
// static/css/app.css), so the editor follows the app's light and dark palettes.
import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine, placeholder,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  foldGutter, foldKeymap, indentOnInput, syntaxHighlighting, bracketMatching, HighlightStyle, indentUnit,
} from "@codemirror/language";
import { highlightSelectionMatches, searchKeymap, search } from "@codemirror/search";
import {
  autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap, startCompletion,
} from "@codemirror/autocomplete";
import { linter, lintGutter, lintKeymap, forceLinting, setDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/lang-yaml";
import { tags as t } from "@lezer/highlight";

/** Syntax colours: the app's text tokens (each ≥ 4.5:1 on --surface and --surface-2, light and dark). */
const highlightStyle = HighlightStyle.define([
  { tag: [t.propertyName, t.definition(t.propertyName)], color: "var(--primary)" },
  { tag: [t.string, t.special(t.string), t.content], color: "var(--text)" },
  { tag: [t.number, t.bool, t.null, t.atom], color: "var(--info)" },
  { tag: [t.comment, t.lineComment, t.blockComment], color: "var(--text-muted)", fontStyle: "italic" },
  { tag: [t.meta, t.labelName, t.typeName, t.keyword, t.modifier], color: "var(--warn)" },
  { tag: [t.punctuation, t.separator, t.squareBracket, t.brace], color: "var(--text-muted)" },
  { tag: t.invalid, color: "var(--bad)" },
]);

function theme(dark) {
  return EditorView.theme({
    "&": {
      color: "var(--text)", backgroundColor: "var(--surface)", border: "1px solid var(--border-strong)",
      borderRadius: "var(--radius-s)", fontSize: "var(--step-0)",
    },
    "&.cm-focused": { outline: "3px solid var(--focus)", outlineOffset: "2px" },
    ".cm-scroller": { fontFamily: "var(--font-mono)", lineHeight: "1.5" },
    ".cm-content": { caretColor: "var(--text)" },
    ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--text)" },
    "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection":
      { backgroundColor: "var(--primary-soft)" },
    ".cm-activeLine": { backgroundColor: "var(--surface-2)" },
    ".cm-selectionMatch": { backgroundColor: "var(--info-soft)" },
    ".cm-searchMatch": { backgroundColor: "var(--warn-soft)", outline: "1px solid var(--warn)" },
    ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: "var(--primary-soft)" },
    ".cm-gutters": {
      backgroundColor: "var(--surface-2)", color: "var(--text-muted)", borderRight: "1px solid var(--border)",
      borderRadius: "var(--radius-s) 0 0 var(--radius-s)",
    },
    ".cm-activeLineGutter": { backgroundColor: "var(--primary-soft)", color: "var(--text)" },
    ".cm-foldPlaceholder": { backgroundColor: "var(--surface-2)", border: "1px solid var(--border)", color: "var(--text)" },
    ".cm-tooltip": {
      backgroundColor: "var(--surface)", color: "var(--text)", border: "1px solid var(--border-strong)",
      borderRadius: "var(--radius-s)", boxShadow: "var(--shadow-lift)",
    },
    ".cm-tooltip-autocomplete > ul > li[aria-selected]": { backgroundColor: "var(--primary)", color: "var(--on-primary)" },
    ".cm-completionDetail": { color: "inherit", opacity: "1", fontStyle: "italic" },
    ".cm-completionInfo": { color: "var(--text)" },
    ".cm-completionMatchedText": { textDecoration: "underline", fontWeight: "bold" },
    ".cm-diagnostic": { color: "var(--text)" },
    ".cm-diagnostic-error": { borderLeftColor: "var(--bad)" },
    ".cm-diagnostic-warning": { borderLeftColor: "var(--warn)" },
    ".cm-lintRange-error": {
      backgroundImage: "none", textDecoration: "underline wavy var(--bad)", textDecorationSkipInk: "none",
      textUnderlineOffset: "3px", backgroundColor: "var(--bad-soft)",
    },
    ".cm-panels": { backgroundColor: "var(--surface-2)", color: "var(--text)" },
    ".cm-panels.cm-panels-top": { borderBottom: "1px solid var(--border)" },
    ".cm-panels.cm-panels-bottom": { borderTop: "1px solid var(--border)" },
    ".cm-panel input, .cm-panel button, .cm-panel label": { fontSize: "var(--step--1)", color: "var(--text)" },
    ".cm-textfield": { backgroundColor: "var(--surface)", border: "1px solid var(--border-strong)" },
    ".cm-button": { backgroundImage: "none", backgroundColor: "var(--surface)", border: "1px solid var(--border-strong)" },
    ".cm-panel.cm-search [name=close]": { color: "var(--text)" },
    ".cm-placeholder": { color: "var(--text-muted)" },
  }, { dark });
}

/** The light and the dark theme; `themeFor(dark)` returns the one for a colour scheme. */
export const lightTheme = [theme(false), syntaxHighlighting(highlightStyle)];
export const darkTheme = [theme(true), syntaxHighlighting(highlightStyle)];

/** The editing extensions (basicSetup's, with Tab indenting and Escape-then-Tab leaving). */
export const editingSetup = [
  lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(),
  drawSelection(), dropCursor(), EditorState.allowMultipleSelections.of(true), indentOnInput(),
  bracketMatching(), closeBrackets(), rectangularSelection(), crosshairCursor(), highlightActiveLine(),
  highlightSelectionMatches(), search({ top: true }), indentUnit.of("  "), EditorState.tabSize.of(2),
  keymap.of([
    ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap,
    ...completionKeymap, ...lintKeymap, indentWithTab,
  ]),
];

export {
  EditorState, Compartment, EditorView, keymap, placeholder, yaml, linter, lintGutter, forceLinting,
  setDiagnostics, autocompletion, startCompletion,
};
