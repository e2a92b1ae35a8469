/**
 * Lists exports of src/ and kit/ that no file imports (tests, bench, scripts and the e2e suite
 * count as importers). `UNUSED`: nothing uses the symbol at all (delete it); with `--all`, also
 * `used-in-file`: the export keyword is unneeded. Contract types kept on purpose may show up.
 * Run: `node scripts/deadExports.mjs [--all]`. Uses the project's own TypeScript, no dependency.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = new Set();
let opts;
for (const cfg of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.e2e.json', 'tsconfig.shared.json']) {
  const c = ts.getParsedCommandLineOfConfigFile(path.join(root, cfg), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  c.fileNames.forEach((f) => files.add(f));
  if (!opts) opts = c.options;
}
// also scripts and bench and vitest/playwright configs
for (const dir of ['scripts', 'bench', 'tests']) {
  for (const n of ts.sys.readDirectory(path.join(root, dir), ['.ts', '.tsx', '.mts'], ['**/node_modules/**'], ['**/*'])) files.add(n);
}
opts = { ...opts, jsx: ts.JsxEmit.ReactJSX, noEmit: true, lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: ['node'], allowJs: false };
const program = ts.createProgram([...files], opts);
const checker = program.getTypeChecker();
const used = new Set();
const resolve = (s) => (s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
const markAllOf = (sf) => { const ms = checker.getSymbolAtLocation(sf); if (ms) for (const e of checker.getExportsOfModule(ms)) used.add(resolve(e)); };
const modOf = (spec, from) => { const r = ts.resolveModuleName(spec, from.fileName, opts, ts.sys).resolvedModule; return r && program.getSourceFile(r.resolvedFileName); };
for (const sf of program.getSourceFiles()) {
  if (sf.fileName.includes('node_modules')) continue;
  const visit = (n) => {
    if (ts.isImportDeclaration(n) && n.importClause) {
      const ic = n.importClause;
      if (ic.name) used.add(resolve(checker.getSymbolAtLocation(ic.name)));
      const nb = ic.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) { const m = modOf(n.moduleSpecifier.text, sf); if (m) markAllOf(m); }
      if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) used.add(resolve(checker.getSymbolAtLocation(el.name)));
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier) {
      const m = modOf(n.moduleSpecifier.text, sf);
      if (!n.exportClause) { if (m) markAllOf(m); }
      else if (ts.isNamedExports(n.exportClause)) for (const el of n.exportClause.elements) used.add(resolve(checker.getSymbolAtLocation(el.name)));
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      const m = modOf(n.arguments[0].text, sf); if (m) markAllOf(m);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      const m = modOf(n.argument.literal.text, sf); if (m) markAllOf(m);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
const out = [];
for (const sf of program.getSourceFiles()) {
  const rel = path.relative(root, sf.fileName);
  if (rel.startsWith('..') || rel.includes('node_modules') || !/^(src|kit)\//.test(rel)) continue;
  const ms = checker.getSymbolAtLocation(sf);
  if (!ms) continue;
  for (const e of checker.getExportsOfModule(ms)) {
    const r = resolve(e);
    if (used.has(r) || used.has(e)) continue;
    // used inside its own file?
    let internal = 0;
    const name = e.name;
    const scan = (n) => { if (ts.isIdentifier(n) && n.text === name && checker.getSymbolAtLocation(n) === r && !(n.parent && n.parent.name === n && (ts.isDeclaration(n.parent)))) internal++; ts.forEachChild(n, scan); };
    scan(sf);
    out.push(`${rel}\t${name}\t${internal ? 'used-in-file' : 'UNUSED'}`);
  }
}
const unused = out.filter((l) => l.endsWith('UNUSED'));
const all = process.argv.includes('--all');
console.log((all ? out : unused).sort().join('\n') || 'no dead exports');
console.log(`${unused.length} exports nothing uses; ${out.length - unused.length} more used only in their own file (--all lists them)`);
