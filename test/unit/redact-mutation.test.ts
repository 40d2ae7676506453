import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { gatherContext } from '../../src/core/context/gather';
import { insidePrivateKey, redactSecrets, SecretVault } from '../../src/core/context/redact';

/**
 * The edges of secret redaction (src/core/context/redact.ts), each rule on both sides: what must be
 * hidden before a prompt leaves the machine, what must stay (code that only looks like a secret), and
 * that every placeholder maps back to the exact text it hid. Found by mutation testing.
 */

// Fake secrets assembled at run time so that this file itself does not trip secret scanners.
const j = (...parts: string[]) => parts.join('');
const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');
const BEGIN = j('-----BEGIN ', 'PRIVATE KEY-----');
const END = j('-----END ', 'PRIVATE KEY-----');
const K1 = 'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB';
const K2 = 'aFDrBz9vFqU4yQ3BvT9PZoZ5bAeqmlw/nJ1bFhC+0OvUz5fVJ0HR5tq2u7+XcYzV';
const K3 = 'q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBbNnMm1234567890ab';
const KLAST = 'Zx9Yw8==';

const redacted = (text: string) => redactSecrets(text).text;
const kept = (text: string) => assert.equal(redacted(text), text, `should be kept: ${text}`);
function hides(text: string, secret: string, placeholder: string): void {
  const out = redactSecrets(text);
  assert.equal(out.text, text.replace(secret, placeholder));
  assert.equal(out.redactions, 1);
}

describe('redact (mutation): token rules keep look-alikes that are not secrets', () => {
  it('sk- keys: letters only, digits only, or a lowercase run broken by a hyphen are kept', () => {
    kept(j('x = "sk-', 'AbcdefghijklmnopqrstuvwX"'));
    kept(j('x = "sk-', '123456789012345678901234"'));
    kept(j('x = "sk-', 'abc1-defghijklmnopqrstuvwxyz"'));
    kept(j('x = "sk-', 'abcdefghijklmnopqrstuvw1-x"'));
    hides(j('x = "sk-', 'abcdefghijklmnopqrstuvw1x"'), j('sk-', 'abcdefghijklmnopqrstuvw1x'), '<redacted:openai-key>');
  });

  it('Slack tokens: with or without the numeric team part; all letters is kept', () => {
    const plain = j('xoxb-', 'AbCdEfGhIjK1');
    hides(`t = "${plain}"`, plain, '<redacted:slack-token>');
    kept(j('t = "xoxb-', 'abcdefghijklmnop"'));
  });

  it('Hugging Face tokens need both cases after the prefix', () => {
    kept(j('# hf_', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'));
    kept(j('# hf_', 'abcdefghijklmnopqrstuvwxyz012345'));
  });

  it('Discord-shaped dotted strings in one case are kept', () => {
    kept(j('x = "MTE0NZQ3NZY0NTI3MZI1MTG0MA', '.', 'GHT9XQ', '.', 'ZK3PL8VQ2MN5RT7WY1AB4CD6EF9GH0IJ2"'));
  });

  it('Bearer tokens: one or more spaces; all letters or all digits are kept', () => {
    hides("h = 'Bearer  abcDEF123456ghiJKL789mno'", 'abcDEF123456ghiJKL789mno', '<redacted:bearer-token>');
    kept("h = 'Bearer abcdefghijklmnopqrstuvwxyz'");
    kept("h = 'Bearer 123456789012345678901234'");
  });

  it('Basic credentials: any padding, any spacing; not base64 of user:password is kept', () => {
    hides(`h = "Basic ${b64('admin:password1')}"`, b64('admin:password1'), '<redacted:basic-auth>');
    hides(`h = "Basic ${b64('user:pw')}"`, b64('user:pw'), '<redacted:basic-auth>');
    hides(`h = "Basic  ${b64('admin:pass')}"`, b64('admin:pass'), '<redacted:basic-auth>');
    kept(`h = "Basic ${b64('hello world!')}"`); // no colon
    kept(`h = "Basic ${b64('\x01admin:pw1')}"`); // not printable
    kept(`h = "Basic ${b64('admin:pw1\x01')}"`);
    kept(`h = "Basic ${b64('admin:password12').replace(/=+$/, '')}"`); // not a whole number of base64 quads
  });

  it('URL passwords: templates, placeholders and masks are kept; such characters later in a password are not', () => {
    kept('u = "postgres://app:${DB_PASS}@db/app"');
    kept('u = "postgres://app:{password}@db/app"');
    kept('u = "postgres://app:<password>@db/app"');
    kept('u = "postgres://app:****@db/app"');
    for (const pw of ['Pa55$', 'Pa55{', 'Pa55<', 'ab**', '**ab']) {
      hides(`u = "postgres://app:${pw}@db/app"`, pw, '<redacted:url-password>');
    }
  });
});

describe('redact (mutation): assignments', () => {
  it('quoted: password names take 4 characters, other names 8', () => {
    hides('password = "abcd"', 'abcd', '<redacted:secret>');
    hides('token = "abcd1234"', 'abcd1234', '<redacted:secret>');
    kept('token = "abcd123"');
    // A name that holds "password" but ends in another word is held to the longer rule.
    kept('passwordToken = "abc12"');
  });

  it('quoted: stand-in words only when they are the whole value', () => {
    kept('password = "changeme"');
    kept('password = "undefined"');
    hides('password = "mysecret"', 'mysecret', '<redacted:secret>');
    hides('password = "trueBlue99"', 'trueBlue99', '<redacted:secret>');
  });

  it('quoted: templates and repeated characters only as the whole shape of the value', () => {
    hides('password = "pa$$w0rd"', 'pa$$w0rd', '<redacted:secret>');
    hides('password = "aaaa1234"', 'aaaa1234', '<redacted:secret>');
    kept('password = "aaaaaaaa"');
    kept('apiKey: "process.env?.API_KEY"');
    hides('password = "Qenv.9z"', 'Qenv.9z', '<redacted:secret>');
  });

  it('member access is kept only when the whole value is one', () => {
    kept('API_KEY = config.v2.apiKey');
    kept('secret = "settings.secret_key"');
    hides('password = "9abc.def"', '9abc.def', '<redacted:secret>');
    hides('password = "cfg.key-9"', 'cfg.key-9', '<redacted:secret>');
  });

  it('bare values: passwords need a non-letter, other names 12 characters of letters and digits', () => {
    hides('PASSWORD=2Summer', '2Summer', '<redacted:secret>');
    kept('PASSWORD=Summer');
    kept('API_KEY=abcd12');
    kept('API_KEY=a1b2c3d4');
    hides('API_KEY=1a2b3c4d5e6f', '1a2b3c4d5e6f', '<redacted:secret>');
    kept('API_KEY=abcd-efgh-ijkl');
    hides('API_KEY=abcdefgh12-xyz', 'abcdefgh12-xyz', '<redacted:secret>');
    // An identifier (with digits at its end) is a variable, not a secret.
    kept('token: authToken2024');
  });
});

describe('redact (mutation): private keys', () => {
  const restores = (text: string, options: { startsInsideKey?: boolean } = {}) => {
    const vault = new SecretVault();
    const out = vault.redact(text, options);
    assert.equal(vault.restore(out.text), text);
    return out;
  };

  it('a whole block with CRLF line ends keeps its frame and line ends', () => {
    const text = ['k = `', BEGIN, K1, K2, KLAST, END, '`'].join('\r\n');
    assert.equal(restores(text).text, ['k = `', BEGIN, '<redacted:private-key>', END, '`'].join('\r\n'));
  });

  it('a whole encrypted block hides its armour headers with the key', () => {
    const text = [BEGIN, 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,3F17F5316E2BAC89', '', K1, K2, KLAST, END].join('\n');
    assert.equal(restores(text).text, [BEGIN, '<redacted:private-key>', END].join('\n'));
  });

  it('an empty block is left alone', () => {
    const text = [BEGIN, '', END].join('\n');
    assert.deepEqual(redactSecrets(text), { text, redactions: 0 });
  });

  it('a BEGIN line followed by code only hides nothing', () => {
    const text = [BEGIN, 'x = 1', 'print(x)'].join('\n');
    assert.deepEqual(redactSecrets(text), { text, redactions: 0 });
  });

  it('without END: CRLF line ends stay outside the placeholder', () => {
    const text = [BEGIN, K1, K2, KLAST, 'code()'].join('\r\n');
    assert.equal(restores(text).text, [BEGIN, '<redacted:private-key>', 'code()'].join('\r\n'));
  });

  it('without END: the key stops at its short last line, a longer line, or a blank line', () => {
    const afterShort = [BEGIN, K1, K2, KLAST, 'main'].join('\n');
    assert.equal(restores(afterShort).text, [BEGIN, '<redacted:private-key>', 'main'].join('\n'));
    const afterBlank = [BEGIN, K1, K2, '', 'main'].join('\n');
    assert.equal(restores(afterBlank).text, [BEGIN, '<redacted:private-key>', '', 'main'].join('\n'));
    const longer = 'x'.repeat(70);
    const beforeLonger = [BEGIN, K1, K2, longer].join('\n');
    assert.equal(restores(beforeLonger).text, [BEGIN, '<redacted:private-key>', longer].join('\n'));
  });

  it('without END: key lines with trailing blanks, and indented under an unindented BEGIN', () => {
    const trailing = [BEGIN, K1 + '  ', K2, KLAST, 'x'].join('\n');
    assert.equal(restores(trailing).text, [BEGIN, '<redacted:private-key>', 'x'].join('\n'));
    const indented = ['x = 1', BEGIN, '    ' + K1, '    ' + K2, '    ' + KLAST].join('\n');
    assert.equal(restores(indented).text, ['x = 1', BEGIN, '    <redacted:private-key>'].join('\n'));
  });

  it('two blocks without END are both hidden, as are two without BEGIN', () => {
    const begins = [BEGIN, K1, KLAST, 'x = 1', BEGIN, K2, KLAST].join('\n');
    assert.equal(restores(begins).text, [BEGIN, '<redacted:private-key>', 'x = 1', BEGIN, '<redacted:private-key-2>'].join('\n'));
    const ends = [K1, KLAST, END, 'x = 1', K2, KLAST, END].join('\n');
    assert.equal(restores(ends).text, ['<redacted:private-key>', END, 'x = 1', '<redacted:private-key-2>', END].join('\n'));
  });

  it('without BEGIN: key lines from the very first line, after a leading newline, of exactly 16 characters', () => {
    assert.equal(restores([K1, K2, KLAST, END].join('\n')).text, ['<redacted:private-key>', END].join('\n'));
    assert.equal(restores(['', K1, KLAST, END].join('\n')).text, ['', '<redacted:private-key>', END].join('\n'));
    assert.equal(restores(['x = 1', 'ABCDEFGHIJKLMNOP', END].join('\n')).text, ['x = 1', '<redacted:private-key>', END].join('\n'));
  });

  it('without BEGIN: a short word, or lines of another width, above the key are kept', () => {
    kept(['x', 'abc', END].join('\n'));
    assert.equal(restores(['x', 'abcdefghij', K1, K2, KLAST, END].join('\n')).text, ['x', 'abcdefghij', '<redacted:private-key>', END].join('\n'));
    assert.equal(restores(['x', 'value=ABCDEFGHIJKLMNOPQRSTUVWX', END].join('\n')).text, ['x', 'value=ABCDEFGHIJKLMNOPQRSTUVWX', END].join('\n'));
  });

  it('a text that starts with a long word is not a key unless the window started inside one', () => {
    const text = ['SomeLongIdentifierName1', 'load("PRIVATE KEY")'].join('\n');
    kept(text);
    assert.equal(restores(text, { startsInsideKey: true }).text, ['<redacted:private-key>', 'load("PRIVATE KEY")'].join('\n'));
  });

  it('insidePrivateKey: from the BEGIN line to the END line', () => {
    const text = ['x', BEGIN, K1, END, 'y'].join('\n');
    assert.equal(insidePrivateKey(text, text.indexOf(BEGIN)), true);
    assert.equal(insidePrivateKey(text, text.indexOf(K1)), true);
    assert.equal(insidePrivateKey(text, text.indexOf(END)), true);
    assert.equal(insidePrivateKey(text, text.indexOf(END) + 1), false);
    assert.equal(insidePrivateKey(text, 0), false);
    // A BEGIN line at the very end of the text, with no newline after it.
    const open = 'x\n' + BEGIN;
    assert.equal(insidePrivateKey(open, open.length), true);
    // BEGIN at the start of the text and no END at all.
    assert.equal(insidePrivateKey(BEGIN + '\n' + K1, BEGIN.length + 3), true);
    // A BEGIN line whose label is not a private key, even with a newline right after the text start.
    assert.equal(insidePrivateKey('\n-----BEGIN CERTIFICATE-----\n' + K1, 40), false);
  });
});

describe('redact (mutation): placeholders back into text', () => {
  const GH = j('ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD');

  it('restoreInto: an unknown placeholder is never replaced, whatever the document holds', () => {
    const vault = new SecretVault();
    vault.redact(`t = "${GH}"`);
    assert.deepEqual(vault.restoreInto('x <redacted:secret-7>', 'let a = undefined;'), { text: 'x <redacted:secret-7>', unresolved: 2 });
  });

  it('restoreInto: points at the first of several unresolved placeholders', () => {
    const vault = new SecretVault();
    vault.redact(`t = "${GH}"`);
    assert.equal(vault.restoreInto('<redacted:secret-7> <redacted:secret-8>', 'doc').unresolved, 0);
    assert.equal(vault.restoreInto('ab <redacted:secret-7> <redacted:secret-8>', 'doc').unresolved, 3);
  });

  it('restoreStream: flush empties what it held; a long run after "<redacted:" is not held back', () => {
    const vault = new SecretVault();
    vault.redact(`t = "${GH}"`);
    const stream = vault.restoreStream();
    assert.equal(stream.push('a <redacted:git'), 'a ');
    assert.equal(stream.flush(), '<redacted:git');
    assert.equal(stream.flush(), '');
    assert.equal(stream.push('b'), 'b');
    const long = '<redacted:' + 'a'.repeat(80);
    assert.equal(vault.restoreStream().push(long), long);
  });

  it('redact then restore gives back any text, and no secret survives redaction (property)', () => {
    const secrets = [
      GH,
      j('sk-', 'proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z'),
      j('xoxb-', '123456789012-', 'AbCdEfGhIjKlMnOpQrStUvWx'),
      j('AKIA', 'IOSFODNN7EXAMPL2'),
      j('glpat-', 'xY9-zA8bC7dE6fG5hI4j'),
    ];
    const line = fc.oneof(
      fc.stringMatching(/^[ a-zA-Z0-9_(){};=.,:<>"'-]{0,30}$/),
      fc.constantFrom(...secrets).map((s) => `k = "${s}"`),
      fc.constantFrom(BEGIN, END, K1, K2, K3, KLAST, '', '<redacted:secret>', '<redacted:github-token>', 'password = "hunter22"'),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 14 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (lines, eol, inside) => {
        const text = lines.join(eol);
        const vault = new SecretVault();
        const out = vault.redact(text, { startsInsideKey: inside });
        assert.equal(vault.restore(out.text), text);
        for (const s of secrets) assert.ok(!out.text.includes(s), `leaked ${s}`);
      }),
    );
  });
});

describe('redact: a window that starts in the middle of a key line', () => {
  const body = Array.from({ length: 45 }, (_, i) => [K1, K2, K3][i % 3]);
  const file = ['const key = `', BEGIN, ...body, KLAST, END, '`;', 'export default key;'].join('\n');
  /** Runs of 16 or more base64 characters that are not inside a placeholder. */
  const keyText = (text: string) => text.replace(/<redacted:[a-z0-9-]+>/g, '').match(/[A-Za-z0-9+/]{16,}/g) ?? [];

  it('hides the rest of the cut line and the key lines after it', () => {
    const window = file.slice(file.indexOf(K2) + 20, file.indexOf(K2) + 20 + 700);
    const out = redactSecrets(window, new SecretVault(), { startsInsideKey: true });
    assert.deepEqual(keyText(out.text), []);
  });

  it('gatherContext hides the key in both windows when the cursor is inside it (its END beyond the suffix window)', async () => {
    const cursor = file.indexOf(K2) + 20;
    const input = { path: 'src/key.ts', languageId: 'typescript', prefix: file.slice(0, cursor), suffix: file.slice(cursor), query: 'key' };
    const ctx = await gatherContext(input, [], { exclude: [] });
    assert.ok(!ctx.suffix.includes(END), 'the suffix window should end before the END line for this test');
    assert.deepEqual(keyText(ctx.prefix), []);
    assert.deepEqual(keyText(ctx.suffix), []);
    assert.ok(ctx.suffix.length > 0);
  });
});
