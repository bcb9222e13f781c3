// Bundle entry.js into ../../static/vendor/codemirror-<version>.min.js (one IIFE defining the
// global `CodeMirror`), and write the licences of everything bundled beside it.
import { build } from "esbuild";
import { readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const version = JSON.parse(readFileSync("node_modules/@codemirror/view/package.json", "utf8")).version;
const out = `../../static/vendor/codemirror-${version}`;
const result = await build({
  entryPoints: ["entry.js"], bundle: true, minify: true, format: "iife", globalName: "CodeMirror",
  target: ["es2020"], outfile: `${out}.min.js`, metafile: true, legalComments: "none",
  banner: { js: `/* CodeMirror 6 (codemirror.net; @codemirror/view ${version}) bundled for Cairn; MIT licence: codemirror-${version}.LICENSE */` },
});

// One licence file listing every package that ended up in the bundle.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
let text = `Licences of the packages bundled into codemirror-${version}.min.js\n(rebuilt with tools/codemirror/: npm ci && npm run build)\n`;
for (const name of [...packages].sort()) {
  const dir = join("node_modules", name);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  text += `\n${"=".repeat(72)}\n${name} ${meta.version} (${meta.license})\n${"=".repeat(72)}\n`;
  text += file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), "utf8") : `${meta.license}\n`;
}
writeFileSync(`${out}.LICENSE`, text);
console.log(`${out}.min.js from ${packages.size} packages: ${[...packages].sort().join(", ")}`);
