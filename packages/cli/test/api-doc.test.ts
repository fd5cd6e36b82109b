import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// docs/api.md lists every public export of every package, one line each. This test keeps it true: the
// names listed under each entry point's heading must be exactly what that entry point's index.ts exports.

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Every library entry point (`@sirllm/x`, `@sirllm/x/sub`) and its source file, from each package.json. */
function entryPoints(): Map<string, string> {
  const entries = new Map<string, string>();
  for (const folder of readdirSync(`${root}packages`)) {
    const manifest = JSON.parse(readFileSync(`${root}packages/${folder}/package.json`, 'utf8')) as {
      name: string;
      exports?: Record<string, string | { import?: string }>;
    };
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const file = typeof target === 'string' ? target : target.import;
      if (file === undefined || !file.endsWith('.js')) continue;
      const source = file.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
      entries.set(`${manifest.name}${subpath.slice(1)}`, `${root}packages/${folder}/${source}`);
    }
  }
  return entries;
}

/** The names each entry point exports (values and types), read by the TypeScript compiler. */
function actualExports(entries: Map<string, string>): Map<string, string[]> {
  const program = ts.createProgram([...entries.values()], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const exports = new Map<string, string[]>();
  for (const [entry, file] of entries) {
    const source = program.getSourceFile(file);
    const symbol = source && checker.getSymbolAtLocation(source);
    if (symbol === undefined) throw new Error(`${entry}: cannot read ${file}`);
    exports.set(
      entry,
      checker.getExportsOfModule(symbol).map((exported) => exported.name),
    );
  }
  return exports;
}

/** The names docs/api.md lists under each `## \`@sirllm/…\`` heading, and the lines without a description. */
function documentedExports(markdown: string): {
  listed: Map<string, string[]>;
  undescribed: string[];
} {
  const listed = new Map<string, string[]>();
  const undescribed: string[] = [];
  let current: string[] | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## `([^`]+)`/.exec(line);
    if (heading) {
      current = [];
      listed.set(heading[1] as string, current);
      continue;
    }
    if (line.startsWith('## ')) current = undefined;
    const item = /^- `([^`]+)`(?: — (.*))?$/.exec(line);
    if (item && current) {
      current.push(item[1] as string);
      if (!item[2]?.trim()) undescribed.push(item[1] as string);
    }
  }
  return { listed, undescribed };
}

const sorted = (names: readonly string[]) => [...names].sort();

describe('docs/api.md', () => {
  it('reads its lists and notices a missing description', () => {
    const { listed, undescribed } = documentedExports(
      '## `@sirllm/a`\n\n### Group\n\n- `one` — what it is for\n- `two`\n\n## Other\n\n- `three` — not an entry\n',
    );
    expect([...listed]).toEqual([['@sirllm/a', ['one', 'two']]]);
    expect(undescribed).toEqual(['two']);
  });

  it("lists exactly every entry point's exports, each with a description", () => {
    const entries = entryPoints();
    expect(entries.size).toBeGreaterThan(5);
    const actual = actualExports(entries);
    const { listed, undescribed } = documentedExports(readFileSync(`${root}docs/api.md`, 'utf8'));
    expect(sorted([...listed.keys()])).toEqual(sorted([...actual.keys()]));
    for (const [entry, names] of actual) {
      expect(sorted(listed.get(entry) ?? []), `docs/api.md, section ${entry}`).toEqual(sorted(names));
    }
    expect(undescribed).toEqual([]);
  });
});
