import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { containsIdentifier } from '../../eval/kinds/retrieval';
import { runSuite } from '../../eval/run';
import { insidePrivateKey } from '../../src/core/context/redact';
import { declaredMeanings, forgetDeclarations, importedNames, mentionedTypes, nearbyIdentifiers, symbolSnippets, typeNames } from '../../src/core/context/symbols';
import { modulePaths } from '../../src/core/context/types';
import { WorkspaceIndex } from '../../src/core/context/workspaceIndex';

// Every test reads lines afresh: a memo filled by an earlier test must not answer for this one.
beforeEach(() => forgetDeclarations());

async function indexOf(files: Record<string, string>): Promise<WorkspaceIndex> {
  const index = new WorkspaceIndex({ listFiles: async () => Object.keys(files), readFile: async (p) => files[p], exclude: () => [], yieldToLoop: () => Promise.resolve() });
  await index.start();
  return index;
}

describe('context/symbols: what the names in a file are', () => {
  it('reads typed declarations, annotations, constructions and import aliases; the last declaration wins', () => {
    const text = [
      'import numpy as np',
      'from .widgets import Button, Label as Tag',
      'private RegisteredBiz registeredBiz;',
      'Map<String, List<Issue>> reports = new HashMap<>();',
      'def run(request: Request, count: int):',
      'session = http.Session(timeout=3)',
      'var total = await Totals.compute(x);',
      'String reports;',
    ].join('\n');
    const m = declaredMeanings(text);
    assert.deepEqual(m.get('np'), { module: 'numpy' });
    assert.deepEqual(m.get('Button'), { module: '.widgets.Button' });
    assert.deepEqual(m.get('Tag'), { module: '.widgets.Label' });
    assert.equal(m.has('Label'), false);
    assert.deepEqual(m.get('registeredBiz'), { type: 'RegisteredBiz' });
    assert.deepEqual(m.get('request'), { type: 'Request' });
    assert.equal(m.has('count'), false, 'int is not a type to look up');
    assert.deepEqual(m.get('session'), { type: 'Session' });
    assert.deepEqual(m.get('total'), { type: 'Totals' });
    // declared twice: the later one (nearer the cursor) wins
    assert.deepEqual(m.get('reports'), { type: 'String' });
  });

  it('gives the same meanings whether or not lines were read before (the line memo is invisible)', () => {
    const lines = fc.constantFrom('Foo foo = make();', 'foo = Bar()', 'foo: Baz', 'x = 1', 'import a.b as foo', 'Qux foo;', '');
    fc.assert(
      fc.property(fc.array(lines, { maxLength: 8 }), (ls) => {
        const text = ls.join('\n');
        const first = declaredMeanings(text);
        const again = declaredMeanings(text);
        assert.deepEqual([...again], [...first]);
        // the meaning of `foo` comes from the last line that declares it
        const last = [...ls].reverse().find((l) => /foo/.test(l) && l !== 'x = 1');
        assert.equal(first.has('foo'), last !== undefined);
      }),
    );
  });

  it('lists imported names in Java, Python, ES and C#; wildcards and namespaces name nothing', () => {
    const text = [
      'import com.acme.utils.MathUtils;',
      'import static com.acme.Colors.clamp;',
      'import java.util.*;',
      'from pkg.mod import Alpha, beta as b',
      "import Default, { Gamma, type Delta, Eps as E } from './m';",
      'using Json = Newtonsoft.Json.JsonConvert;',
      'using System.Text;',
      'import os',
    ].join('\n');
    assert.deepEqual(importedNames(text), ['MathUtils', 'Colors', 'Alpha', 'beta', 'Default', 'Gamma', 'Delta', 'Eps', 'JsonConvert']);
  });

  it('orders names from the cursor outwards', () => {
    assert.deepEqual(nearbyIdentifiers('alpha beta gamma beta ab'), ['beta', 'gamma', 'alpha']);
    assert.deepEqual(mentionedTypes('Far Near x Near | After Later After', 'Far Near x Near '.length), ['Near', 'Far', 'After', 'Later']);
    assert.deepEqual(mentionedTypes('ABC Xy', 0), ['Xy']);
    assert.deepEqual(typeNames('def f(a: Optional[Widget], b: Box) -> Promise<Item>:'), ['Widget', 'Box', 'Item']);
  });

  it('resolves absolute Python modules from the root, the file\'s folders and src/; relative ones from the file', () => {
    assert.deepEqual(modulePaths('config', 'bench/main.py'), ['config.py', 'config/__init__.py', 'bench/config.py', 'bench/config/__init__.py', 'src/config.py', 'src/config/__init__.py']);
    assert.deepEqual(modulePaths('..util.io', 'a/b/c.py'), ['a/util/io.py', 'a/util/io/__init__.py']);
    assert.deepEqual(modulePaths('.', 'a/b.py'), ['a.py', 'a/__init__.py']);
    assert.deepEqual(modulePaths('', 'b.py'), []);
  });
});

describe('context/symbols: outlines from the workspace index', () => {
  it('Java: the type of the receiver first, with its public members; imported classes next', async () => {
    const index = await indexOf({
      'src/biz/RegisteredBiz.java': 'package biz;\n\npublic class RegisteredBiz {\n  private Mapper mapper;\n  public int countBySeq(String seq) {\n    return 1;\n  }\n  public void challengeStart(String seq) {\n    mapper.go();\n  }\n}\n',
      'src/util/MathUtils.java': 'package util;\n\npublic class MathUtils {\n  public static int clampInt(int min, int max, int input) {\n    return input;\n  }\n}\n',
      'src/util/Unused.java': 'package util;\n\npublic class Unused {\n  public void never() {\n  }\n}\n',
    });
    const prefix = 'package web;\nimport util.MathUtils;\n\npublic class Controller {\n  @Autowired\n  private RegisteredBiz registeredBiz;\n\n  void go() {\n    registeredBiz.';
    const snippets = symbolSnippets(index, 'src/web/Controller.java', 'registeredBiz.', { prefix, suffix: '\n  }\n}\n' });
    assert.deepEqual(snippets.map((s) => s.symbol), ['RegisteredBiz', 'MathUtils']);
    assert.equal(snippets[0].text, 'public class RegisteredBiz {\n  public int countBySeq(String seq) { … }\n  public void challengeStart(String seq) { … }\n}');
    assert.ok(snippets[1].text.includes('clampInt'));
    // limits: count and characters
    assert.equal(symbolSnippets(index, 'src/web/Controller.java', 'registeredBiz.', { prefix, suffix: '' }, { maxSymbols: 1 }).length, 1);
    assert.equal(symbolSnippets(index, 'src/web/Controller.java', 'registeredBiz.', { prefix, suffix: '' }, { maxChars: 10 }).length, 1);
  });

  it('Python: a class brings its bases (members are inherited); an imported module brings its functions', async () => {
    const index = await indexOf({
      'src/pots/base.py': 'class Device:\n    def set_r_load(self, value):\n        pass\n\n    def _private(self):\n        pass\n',
      'src/pots/chips.py': 'from .base import Device\n\nclass Chip(Device):\n    def __init__(self):\n        pass\n',
      'tools/config/__init__.py': 'import os\n\ndef registered_formats():\n    return []\n\nclass Config:\n    pass\n',
    });
    const pot = symbolSnippets(index, 'examples/run.py', 'my_pot.', { prefix: 'from pots.chips import Chip\nmy_pot = Chip()\nmy_pot.', suffix: '' });
    assert.deepEqual(pot.map((s) => s.symbol), ['Chip', 'Device']);
    assert.equal(pot[1].text, 'class Device:\n    def set_r_load(self, value): …');
    const config = symbolSnippets(index, 'tools/main.py', 'config.', { prefix: 'import config\n\nchoices = config.', suffix: '' });
    assert.deepEqual(config.map((s) => [s.path, s.text]), [['tools/config/__init__.py', 'def registered_formats():\nclass Config:']]);
  });

  it('skips the current file, the language\'s common types and places already offered', async () => {
    const index = await indexOf({ 'a/Thing.java': 'public class Thing {\n  public void a() {\n  }\n}\n', 'a/List.java': 'public class List {\n}\n' });
    assert.deepEqual(symbolSnippets(index, 'a/Thing.java', 'Thing thing = new Thing(); List x', undefined), []);
    const twice = symbolSnippets(index, 'b/Use.java', 'Thing t = other; t.', { prefix: 'Thing t = other; t.', suffix: ' Thing' });
    assert.deepEqual(twice.map((s) => s.symbol), ['Thing']);
  });
});

describe('context/symbols: order, limits and places', () => {
  const files: Record<string, string> = {
    'lib/Far.java': 'public class Far {\n  public void far() {\n  }\n}\n',
    'lib/Near.java': 'public class Near {\n  public void near() {\n  }\n}\n',
    'lib/Listing.java': 'public class Listing {\n  public void items() {\n  }\n}\n',
    'lib/Big.java': `public class Big {\n${Array.from({ length: 60 }, (_, i) => `  public int m${i}() { return ${i}; }`).join('\n')}\n}\n`,
    'pkg/helpers.py': `${Array.from({ length: 45 }, (_, i) => `def h${i}():\n    pass\n`).join('\n')}`,
  };
  const prefix = 'import lib.Far;\n\nclass Use {\n  void f(Near near, Listing listing, Big big) {\n    int x = 1;\n    ';

  it('names at the cursor first, then imports, then mentioned types; each stage stops at the limit', async () => {
    const index = await indexOf(files);
    const all = symbolSnippets(index, 'app/Use.java', 'int x = 1;', { prefix, suffix: '' });
    assert.deepEqual(all.map((s) => s.symbol), ['Far', 'Big', 'Listing', 'Near']);
    for (let n = 1; n <= 4; n++) assert.deepEqual(symbolSnippets(index, 'app/Use.java', 'int x = 1;', { prefix, suffix: '' }, { maxSymbols: n }).map((s) => s.symbol), all.slice(0, n).map((s) => s.symbol));
    const near = symbolSnippets(index, 'app/Use.java', 'near.', { prefix: `${prefix}near.`, suffix: '' }, { maxSymbols: 1 });
    assert.deepEqual(near.map((s) => s.symbol), ['Near']);
    assert.deepEqual(symbolSnippets(index, 'app/Use.java', 'x', { prefix: 'class A { Listing l; }', suffix: '' }, { maxSymbols: 1 }).map((s) => s.symbol), ['Listing'], 'Listing is not List');
  });

  it('the receiver\'s type gets a longer outline than other types; places are the declaration\'s lines', async () => {
    const index = await indexOf(files);
    const receiver = symbolSnippets(index, 'app/Use.java', 'big.', { prefix: 'Big big = make();\nbig.', suffix: '' }, { maxSymbols: 1 });
    const other = symbolSnippets(index, 'app/Use.java', 'Big b', { prefix: 'Big b', suffix: '' }, { maxSymbols: 1 });
    assert.equal(receiver[0].text.split('\n').length, 40);
    assert.equal(other[0].text.split('\n').length, 24);
    assert.deepEqual([receiver[0].startLine, receiver[0].endLine], [0, 40]);
    assert.equal(receiver[0].path, 'lib/Big.java');
  });

  it('a module outline lists at most 40 top-level definitions, with their lines', async () => {
    const index = await indexOf(files);
    const [mod] = symbolSnippets(index, 'app/main.py', 'helpers.', { prefix: 'from pkg import helpers\nhelpers.', suffix: '' });
    const lines = mod.text.split('\n');
    assert.equal(lines.length, 40);
    assert.deepEqual([lines[0], lines[39]], ['def h0():', 'def h39():']);
    assert.deepEqual([mod.startLine, mod.endLine, mod.symbol], [0, 39 * 3 + 1, 'pkg.helpers']);
  });

  it('imports: only whole import statements at a line start, static imports by their class, Python lists in parentheses', () => {
    assert.deepEqual(importedNames('// see import a.B;\nString s = "import c.D;";\n  import e.F;\nimport Solo;'), ['F']);
    assert.deepEqual(importedNames('import static a.b.Colors.*;\nimport a.b.Util.Inner;'), ['Colors', 'Inner']);
    assert.deepEqual(importedNames('from m import (A, B as C)'), ['A', 'B']);
    assert.deepEqual(importedNames('using System.Text;\nusing static System.Math;'), ['Math']);
    assert.deepEqual(declaredMeanings('from m import (A, B as C, d.e)').get('C'), { module: 'm.B' });
    assert.equal(declaredMeanings('from m import A as').has('as'), false);
    assert.equal(declaredMeanings('from . import x').get('x')?.module, '.x');
  });
});

describe('context/redact: private-key look-back', () => {
  it('finds a key block begun before the offset, within the last 64 KB only', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIabc\n';
    assert.equal(insidePrivateKey(key + 'more', key.length), true);
    assert.equal(insidePrivateKey(key + '-----END RSA PRIVATE KEY-----\nx', key.length + 35), false);
    assert.equal(insidePrivateKey(key + 'x'.repeat(70_000), key.length + 70_000), false);
    assert.equal(insidePrivateKey('-----BEGIN CERTIFICATE-----\nabc', 30), false);
    assert.equal(insidePrivateKey('no key', 3), false);
  });
});

describe('eval: retrieval kind', () => {
  it('finds identifiers with $ as whole identifiers only', () => {
    assert.equal(containsIdentifier('x = RT$ + 1', 'RT$'), true);
    assert.equal(containsIdentifier('x = RT$x', 'RT$'), false);
    assert.equal(containsIdentifier('x = $RT', 'RT'), false);
    assert.equal(containsIdentifier('a.b(c)', 'b'), true);
    assert.equal(containsIdentifier('abc', 'b'), false);
  });

  it('the summary line carries the mean share of identifiers found', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redline-retrieval-'));
    fs.mkdirSync(path.join(dir, 'ws/src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'ws/src/Money.java'), 'public class Money {\n  public static final int RT$ = 1;\n  public long toCents() {\n    return 1;\n  }\n}\n');
    const base = { kind: 'retrieval', language: 'java', workspace: 'ws', file: 'src/Use.java', budgetTokens: 1024 };
    const cases = [
      { ...base, id: 'all', prefix: 'class Use {\n  Money money;\n  long f() {\n    return money.', suffix: '\n  }\n}\n', expectIdentifiers: ['toCents', 'RT$'] },
      { ...base, id: 'half', prefix: 'class Use {\n  Money money;\n  long f() {\n    return money.', suffix: '\n  }\n}\n', expectIdentifiers: ['toCents', 'nowhereToBeFound'] },
    ];
    fs.writeFileSync(path.join(dir, 'suite.jsonl'), cases.map((c) => JSON.stringify(c)).join('\n'));
    const printed: string[] = [];
    const summary = await runSuite(path.join(dir, 'suite.jsonl'), { print: (l) => printed.push(l) });
    assert.deepEqual(summary, { suite: 'suite', cases: 2, passed: 1, rate: 0.5, means: { share: 0.75 } });
    assert.equal(printed.at(-1), JSON.stringify(summary));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
