// Validates Mermaid diagrams with Mermaid's own parser (the npm package pinned in package.json
// and package-lock.json next to this file, installed by `make test` into <build>/views-node).
//
// usage: node validate_mermaid.mjs NODE_PREFIX FILE.mmd...
// Exit status: 0 when every file parses as a sequenceDiagram, 1 when one does not (or the
// parser accepts a diagram it must reject), 77 when mermaid is not installed under NODE_PREFIX.
//
// mermaid.parse() runs the diagram's grammar and its database (so "deactivate" of an inactive
// participant is an error, as it is when a page renders the diagram); it needs no DOM for
// sequence diagrams.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [prefix, ...files] = process.argv.slice(2);
if (!prefix) {
  console.error('usage: node validate_mermaid.mjs NODE_PREFIX FILE.mmd...');
  process.exit(2);
}
let entry;
try {
  entry = createRequire(path.join(path.resolve(prefix), 'package.json')).resolve('mermaid');
} catch {
  console.log(`SKIP: mermaid is not installed under ${prefix}`);
  process.exit(77);
}
const { default: mermaid } = await import(pathToFileURL(entry).href);
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
const version = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')).version;

async function parse(text) {
  try {
    const result = await mermaid.parse(text);
    if (!result || result.diagramType !== 'sequence') return `parsed as ${result && result.diagramType}, not a sequence diagram`;
    return '';
  } catch (e) {
    return String(e && e.message ? e.message : e).replace(/\s+/g, ' ');
  }
}

// The parser must reject what it should, or passing would prove nothing.
const controls = [
  'sequenceDiagram\n  participant a as A\n  deactivate a\n',
  'sequenceDiagram\n  participant a as A\n  a->>: no receiver\n',
  'sequenceDiagram\n  rect rgb(255, 210, 210)\n  Note over a: never closed\n',
];
for (const text of controls) {
  if ((await parse(text)) === '') {
    console.log(`FAIL: mermaid ${version} accepts a broken diagram:\n${text}`);
    process.exit(1);
  }
}

let bad = 0;
for (const file of files) {
  const problem = await parse(readFileSync(file, 'utf8'));
  if (problem !== '') {
    ++bad;
    console.log(`${file}: ${problem}`);
  }
}
console.log(`mermaid ${version}: ${files.length - bad} of ${files.length} diagrams parse`);
process.exit(bad === 0 && files.length > 0 ? 0 : 1);
