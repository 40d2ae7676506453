import * as assert from 'assert';
import fc from 'fast-check';
import { insidePrivateKey, redactSecrets, SecretVault } from '../../src/core/context/redact';

// Fake secrets assembled at run time so that this file itself does not trip secret scanners.
const j = (...parts: string[]) => parts.join('');
const OPENAI = j('sk-', 'proj-', 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'T3BlbkFJ', 'Qa7Zb0Yc');
const OPENAI_LEGACY = j('sk-', 'a1B2c3D4e5F6g7H8i9J0', 'T3BlbkFJ', 'k1L2m3N4o5P6q7R8s9T0');
const ANTHROPIC = j('sk-ant-', 'api03-', 'Xy7_k2LmN9pQ-rS5tU8vW1zA3bC6dE0fG4hJ7kL0mN3pQ6rS9tU2vW5xY8zA1bC4dE7fG0hJ3kL6mN9pQ2rS5tU8vW1-zA3bCAA');
const GITHUB = j('ghp_', 'R2d2C3poLuke7Leia9Han5Solo0Chewie1aBcD');
const GITHUB_PAT = j('github_pat_', '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd');
const GITLAB = j('glpat-', 'xY9-zA8bC7dE6fG5hI4j');
const SLACK = j('xoxb-', '123456789012-1234567890123-', 'AbCdEfGhIjKlMnOpQrStUvWx');
const SLACK_HOOK = j('https://hooks.slack.com/services/', 'T01ABCDEF/B02GHIJKL/', 'abcDEF123ghiJKL456mnoPQR');
const STRIPE = j('sk_', 'live_', '51Hx9ZyAbCdEfGhIjKlMnOpQr');
const AWS = j('AKIA', 'IOSFODNN7EXAMPL2');
const AWS_SECRET = j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY12');
const JWT = j('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', '.', 'eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0', '.', 'SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c');
const GOOGLE = j('AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY');
const PEM = [
  j('-----BEGIN ', 'RSA PRIVATE KEY-----'),
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yQ3BvT9PZoZ5bAeqmlw/nJ1bFhC+0OvUz5fVJ0HR5tq2u7+XcYzV',
  j('-----END ', 'RSA PRIVATE KEY-----'),
].join('\n');
const DEEPSEEK = j('sk-', '3f9a0c7b2e4d4f1a8b6c5d7e9f0a1b2c');
const BASIC = Buffer.from('admin:Tr0ub4dor&3').toString('base64');
const AZURE_KEY = j('Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu', 'Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==');
const SENDGRID = j('SG.', 'ngeVfQFYQlKU0ufo8x5d1A', '.', 'TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr');
const NPM = j('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8');
const HF = j('hf_', 'AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGh');
const TELEGRAM = j('123456789', ':AA', 'Hdqtq5mRKwA1ZOmbc5PeQd2gDDp3YZ6Le');
const DISCORD = j('MTE0NzQ3NzY0NTI3MzI1MTg0MA', '.', 'GhT9xq', '.', 'Zk3pL8vQ2mN5rT7wY1aB4cD6eF9gH0iJ2kL4mN');
const GOOGLE_OAUTH = j('ya29.', 'a0AfH6SMBx7Kq2Lm9Np3Qr5St8Uv1Wx4Yz6Ab0Cd2Ef');
const KEY_LINES = [
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yQ3BvT9PZoZ5bAeqmlw/nJ1bFhC+0OvUz5fVJ0HR5tq2u7+XcYzV',
  'q1w2e3r4t5y6u7i8o9p0AaSsDdFfGgHhJjKkLlZzXxCcVvBbNnMm1234567890ab',
  'Zx9Yw8==',
];

interface Case {
  name: string;
  input: string;
  expected: string;
  redactions: number;
}

const positives: Case[] = [
  { name: 'OpenAI project key in a string', input: `const key = "${OPENAI}";`, expected: 'const key = "<redacted:openai-key>";', redactions: 1 },
  { name: 'OpenAI legacy key in an env file', input: `OPENAI_API_KEY=${OPENAI_LEGACY}\n`, expected: 'OPENAI_API_KEY=<redacted:openai-key>\n', redactions: 1 },
  { name: 'Anthropic key', input: `client = Anthropic(api_key='${ANTHROPIC}')`, expected: "client = Anthropic(api_key='<redacted:anthropic-key>')", redactions: 1 },
  { name: 'GitHub classic token', input: `token: ${GITHUB}`, expected: 'token: <redacted:github-token>', redactions: 1 },
  { name: 'GitHub fine-grained token', input: `export GH=${GITHUB_PAT}`, expected: 'export GH=<redacted:github-token>', redactions: 1 },
  { name: 'GitLab token', input: `headers["PRIVATE-TOKEN"] = "${GITLAB}"`, expected: 'headers["PRIVATE-TOKEN"] = "<redacted:gitlab-token>"', redactions: 1 },
  { name: 'Slack bot token', input: `slack = WebClient("${SLACK}")`, expected: 'slack = WebClient("<redacted:slack-token>")', redactions: 1 },
  { name: 'Slack webhook', input: `url = "${SLACK_HOOK}"`, expected: 'url = "<redacted:slack-webhook>"', redactions: 1 },
  { name: 'Stripe live key', input: `stripe.api_key = "${STRIPE}"`, expected: 'stripe.api_key = "<redacted:stripe-key>"', redactions: 1 },
  {
    name: 'AWS key pair',
    input: `aws_access_key_id = ${AWS}\naws_secret_access_key = ${AWS_SECRET}\n`,
    expected: 'aws_access_key_id = <redacted:aws-access-key>\naws_secret_access_key = <redacted:secret>\n',
    redactions: 2,
  },
  { name: 'Google API key', input: `apiKey: "${GOOGLE}",`, expected: 'apiKey: "<redacted:google-api-key>",', redactions: 1 },
  { name: 'JWT', input: `const t = '${JWT}';`, expected: "const t = '<redacted:jwt>';", redactions: 1 },
  {
    name: 'PEM private key block keeps its frame',
    input: `key = """\n${PEM}\n"""`,
    expected: `key = """\n-----BEGIN RSA PRIVATE KEY-----\n<redacted:private-key>\n-----END RSA PRIVATE KEY-----\n"""`,
    redactions: 1,
  },
  { name: 'password assignment', input: 'DB_PASSWORD = "c0rrect-h0rse-battery"', expected: 'DB_PASSWORD = "<redacted:secret>"', redactions: 1 },
  { name: 'api_key in YAML', input: 'service:\n  api_key: 9f8e7d6c5b4a39281706\n', expected: 'service:\n  api_key: <redacted:secret>\n', redactions: 1 },
  { name: 'JSON secret', input: '{ "client_secret": "Zx81-Qw72-Er63-Ty54" }', expected: '{ "client_secret": "<redacted:secret>" }', redactions: 1 },
  { name: 'Go short assignment', input: 'authToken := "a8f5f167f44f4964e6c998dee827110c"', expected: 'authToken := "<redacted:secret>"', redactions: 1 },
  { name: 'bearer header', input: "headers: { Authorization: 'Bearer abcDEF123456ghiJKL789mno' }", expected: "headers: { Authorization: 'Bearer <redacted:bearer-token>' }", redactions: 1 },
  { name: 'password in a connection URL', input: 'DATABASE_URL = "postgres://app:S3cr3tPassw0rd@db:5432/app"', expected: 'DATABASE_URL = "postgres://app:<redacted:url-password>@db:5432/app"', redactions: 1 },
  { name: 'sk- key in lowercase hex (DeepSeek style)', input: `DEEPSEEK_API_KEY=${DEEPSEEK}`, expected: 'DEEPSEEK_API_KEY=<redacted:openai-key>', redactions: 1 },
  { name: 'short quoted password', input: 'password = "hunter2"', expected: 'password = "<redacted:secret>"', redactions: 1 },
  { name: 'alphanumeric YAML password', input: 'db:\n  password: Summer2024\n', expected: 'db:\n  password: <redacted:secret>\n', redactions: 1 },
  { name: 'short env PASSWORD', input: 'PASSWORD=pa55', expected: 'PASSWORD=<redacted:secret>', redactions: 1 },
  { name: 'Basic auth header', input: `headers = {"Authorization": "Basic ${BASIC}"}`, expected: 'headers = {"Authorization": "Basic <redacted:basic-auth>"}', redactions: 1 },
  { name: 'Azure storage AccountKey', input: `conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${AZURE_KEY};EndpointSuffix=core.windows.net"`, expected: 'conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=<redacted:azure-key>;EndpointSuffix=core.windows.net"', redactions: 1 },
  { name: 'SendGrid key', input: `sg = SendGridAPIClient('${SENDGRID}')`, expected: "sg = SendGridAPIClient('<redacted:sendgrid-key>')", redactions: 1 },
  { name: 'npm token', input: `//registry.npmjs.org/:_authToken=${NPM}`, expected: '//registry.npmjs.org/:_authToken=<redacted:npm-token>', redactions: 1 },
  { name: 'Hugging Face token', input: `login(hf_token)  # ${HF}`, expected: 'login(hf_token)  # <redacted:huggingface-token>', redactions: 1 },
  { name: 'Telegram bot token', input: `bot = Bot("${TELEGRAM}")`, expected: 'bot = Bot("<redacted:telegram-bot-token>")', redactions: 1 },
  { name: 'Discord bot token', input: `client.run("${DISCORD}")`, expected: 'client.run("<redacted:discord-bot-token>")', redactions: 1 },
  { name: 'Google OAuth access token', input: `creds = Credentials("${GOOGLE_OAUTH}")`, expected: 'creds = Credentials("<redacted:google-oauth-token>")', redactions: 1 },
  {
    name: 'PEM block without its END line',
    input: ['key = """', j('-----BEGIN ', 'PRIVATE KEY-----'), ...KEY_LINES, 'and then code'].join('\n'),
    expected: ['key = """', '-----BEGIN PRIVATE KEY-----', '<redacted:private-key>', 'and then code'].join('\n'),
    redactions: 1,
  },
  {
    name: 'PEM block cut before its BEGIN line (an END line alone)',
    input: ['x = 1', ...KEY_LINES, j('-----END ', 'EC PRIVATE KEY-----')].join('\n'),
    expected: ['x = 1', '<redacted:private-key>', '-----END EC PRIVATE KEY-----'].join('\n'),
    redactions: 1,
  },
  {
    name: 'indented encrypted PEM block with armour headers and no END',
    input: ['  -----BEGIN RSA PRIVATE KEY-----', '  Proc-Type: 4,ENCRYPTED', '  DEK-Info: AES-128-CBC,3F17F5316E2BAC89', '', ...KEY_LINES.map((l) => '  ' + l)].join('\n'),
    expected: ['  -----BEGIN RSA PRIVATE KEY-----', '  Proc-Type: 4,ENCRYPTED', '  DEK-Info: AES-128-CBC,3F17F5316E2BAC89', '', '  <redacted:private-key>'].join('\n'),
    redactions: 1,
  },
];

const negatives: { name: string; input: string }[] = [
  { name: 'ordinary identifiers', input: 'function skipWhitespace(task_list, disk_usage) { return skLearnModel; }' },
  { name: 'a git commit hash', input: 'const commit = "9fceb02d0ae598e95dc970b74767f19372d61af8";' },
  { name: 'a UUID', input: 'id = "123e4567-e89b-12d3-a456-426614174000"' },
  { name: 'a sha256 in a lock file', input: '"integrity": "sha512-w2d3p9FNpXtRtWNkDDHHcyCJTn8QvnPqG1HE4AyLAT5VIYbQm3YYzvOYy"' },
  { name: 'password read from the environment', input: 'password = os.environ["DB_PASSWORD"]\napi_key = process.env.OPENAI_API_KEY' },
  { name: 'password parameter and type', input: 'def login(user: str, password: str) -> Token:\n    token = authenticate(user, password)' },
  { name: 'typed field', input: 'interface Config { apiKey: string; token?: TokenProvider; }' },
  { name: 'template placeholder', input: 'API_KEY="${API_KEY}"\npassword: "{{ vault_password }}"' },
  { name: 'password compared, not assigned', input: 'if (password == "hunter2") return;' },
  { name: 'password typed as str on its own line', input: 'class User:\n    password: str\n    token: Optional[str] = None' },
  { name: 'password copied from a variable', input: 'password = user_password\nPWD=$HOME' },
  { name: 'short token value', input: 'token = "abc123"' },
  { name: 'Basic auth scheme named in prose', input: 'const scheme = "Basic realm=app"; // Basic authentication' },
  { name: 'ya29 without a token', input: 'const prefix = "ya29.";' },
  { name: 'dotted version numbers', input: 'const v = "MzA1.123456.abcdefghijklmnopqrstuvwxyz12"' },
  { name: 'a lowercase sk- name with hyphens', input: 'const cls = "sk-fading-circle-2-spinner-animation"' },
  { name: 'a BEGIN line of a public certificate', input: '-----BEGIN CERTIFICATE-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' },
  { name: 'prose with spaces', input: 'label: "Enter your password here please"' },
  { name: 'masked value', input: 'password = "************"' },
  { name: 'base64 image data', input: 'const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";' },
  { name: 'sk- prefix in CSS class names', input: '.sk-spinner-wandering-cubes-animation { color: red }' },
  { name: 'a public key block', input: '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----' },
  { name: 'member access value', input: 'SECRET_KEY = settings.django_secret_key_value' },
  { name: 'maxTokens setting', input: 'const maxTokens = 2048; const tokenizer = "cl100k_base";' },
  { name: 'a URL without a password', input: 'fetch("https://api.example.com:8443/v1/users@2x")' },
];

describe('context/redact: redactSecrets', () => {
  for (const c of positives) {
    it(`redacts: ${c.name}`, () => {
      const result = redactSecrets(c.input);
      assert.strictEqual(result.text, c.expected);
      assert.strictEqual(result.redactions, c.redactions);
    });
  }
  for (const c of negatives) {
    it(`keeps: ${c.name}`, () => {
      const result = redactSecrets(c.input);
      assert.strictEqual(result.text, c.input);
      assert.strictEqual(result.redactions, 0);
    });
  }

  it('keeps the line count when no PEM block is involved, and is idempotent (property)', () => {
    const secrets = [OPENAI, GITHUB, SLACK, STRIPE, AWS, JWT, GITLAB];
    const line = fc.oneof(
      fc.stringMatching(/^[ a-zA-Z0-9_(){};=.,]{0,40}$/),
      fc.constantFrom(...secrets).map((s) => `x = "${s}"`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = lines.join('\n');
        const once = redactSecrets(text);
        assert.strictEqual(once.text.split('\n').length, text.split('\n').length);
        const twice = redactSecrets(once.text);
        assert.strictEqual(twice.text, once.text);
        assert.strictEqual(twice.redactions, 0);
        for (const s of secrets) assert.ok(!once.text.includes(s));
      }),
    );
  });

  it('text without secrets comes back unchanged (property over code-like text)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z_ (){};=.,\n]{0,200}$/), (text) => {
        assert.deepStrictEqual(redactSecrets(text), { text, redactions: 0 });
      }),
    );
  });
});

describe('context/redact: SecretVault', () => {
  const GITHUB_2 = j('ghp_', 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2');

  it('gives distinct secrets of a kind distinct placeholders, and a repeated secret the same one', () => {
    const vault = new SecretVault();
    const a = vault.redact(`a = "${GITHUB}"\nb = "${GITHUB_2}"`);
    const b = vault.redact(`again = "${GITHUB}"`);
    assert.strictEqual(a.text, 'a = "<redacted:github-token>"\nb = "<redacted:github-token-2>"');
    assert.strictEqual(b.text, 'again = "<redacted:github-token>"');
    assert.strictEqual(vault.size, 2);
  });

  it('restores every placeholder it handed out, and leaves unknown ones alone', () => {
    const vault = new SecretVault();
    const original = `const a = "${GITHUB}";\nconst b = "${GITHUB_2}";\n${PEM}\npassword = "hunter22"`;
    const redacted = vault.redact(original).text;
    assert.ok(!redacted.includes(GITHUB) && !redacted.includes('MIIEowIBAAKCAQEA'));
    assert.strictEqual(vault.restore(redacted), original);
    assert.strictEqual(vault.restore('x <redacted:slack-token> <redacted:github-token-7>'), 'x <redacted:slack-token> <redacted:github-token-7>');
  });

  it('never hands out a placeholder the text already holds literally', () => {
    const vault = new SecretVault();
    const text = `// the logs show <redacted:github-token>\nconst t = "${GITHUB}";`;
    const redacted = vault.redact(text).text;
    assert.strictEqual(redacted, '// the logs show <redacted:github-token>\nconst t = "<redacted:github-token-2>";');
    assert.strictEqual(vault.restore(redacted), text);
  });

  it('restores a streamed reply the same however it is chunked (property)', () => {
    const vault = new SecretVault();
    vault.redact(`a = "${GITHUB}"\nb = "${GITHUB_2}"\nc = "${SLACK}"`);
    const piece = fc.oneof(
      fc.constantFrom('<redacted:github-token>', '<redacted:github-token-2>', '<redacted:slack-token>', '<redacted:unknown>', '<redacted:', '<', '<r', '>'),
      fc.stringMatching(/^[a-z <>:=\n"-]{0,12}$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (pieces, cuts) => {
        const reply = pieces.join('');
        const points = [...new Set(cuts.map((c) => c % (reply.length + 1)))].sort((x, y) => x - y);
        const stream = vault.restoreStream();
        let out = '';
        let from = 0;
        for (const p of [...points, reply.length]) {
          const shown = stream.push(reply.slice(from, p));
          assert.ok(!/<redacted:(github|slack)-token(-2)?>/.test(shown), 'a known placeholder was shown');
          out += shown;
          from = p;
        }
        out += stream.flush();
        assert.strictEqual(out, vault.restore(reply));
      }),
    );
  });

  it('restoreInto puts back only the secrets the document holds, and points at the first placeholder left', () => {
    const vault = new SecretVault();
    const mine = `const t = "${GITHUB}";`;
    vault.redact(mine);
    vault.redact(`// another file\nconst k = "${SLACK}";`);
    // The document's own token comes back; the other file's stays a placeholder and is pointed at.
    const reply = 'use("<redacted:github-token>");\nsend("<redacted:slack-token>");';
    const out = vault.restoreInto(reply, `${mine}\n`);
    assert.strictEqual(out.text, `use("${GITHUB}");\nsend("<redacted:slack-token>");`);
    assert.strictEqual(out.unresolved, out.text.indexOf('<redacted:slack-token>'));
    // A placeholder the vault never handed out is unresolved too; one the document holds literally is not.
    assert.strictEqual(vault.restoreInto('x <redacted:secret-7>', mine).unresolved, 2);
    assert.deepStrictEqual(vault.restoreInto('x <redacted:secret-7>', '// <redacted:secret-7>'), { text: 'x <redacted:secret-7>', unresolved: -1 });
    // No placeholder: the text as it is.
    assert.deepStrictEqual(vault.restoreInto('plain < text >', mine), { text: 'plain < text >', unresolved: -1 });
    // Every placeholder of the document's own secrets, however many.
    assert.deepStrictEqual(vault.restoreInto('<redacted:github-token><redacted:github-token>', mine), { text: GITHUB + GITHUB, unresolved: -1 });
  });

  it('holds back a placeholder split across deltas until it is complete', () => {
    const vault = new SecretVault();
    vault.redact(`t = "${GITHUB}"`);
    const stream = vault.restoreStream();
    assert.strictEqual(stream.push('t = "<redac'), 't = "');
    assert.strictEqual(stream.push('ted:github-tok'), '');
    assert.strictEqual(stream.push('en>";\n'), `${GITHUB}";\n`);
    assert.strictEqual(stream.push('a < b'), 'a < b');
    assert.strictEqual(stream.flush(), '');
  });
});

describe('context/redact: windows cut inside a private key', () => {
  const head = ['const key = `', j('-----BEGIN ', 'PRIVATE KEY-----')].join('\n');
  const body = Array.from({ length: 42 }, (_, i) => KEY_LINES[i % 3]);
  const text = [head, ...body, j('-----END ', 'PRIVATE KEY-----'), '`;', 'export default key;'].join('\n');

  it('knows when an offset lies inside a key block', () => {
    assert.strictEqual(insidePrivateKey(text, text.indexOf(KEY_LINES[1])), true);
    assert.strictEqual(insidePrivateKey(text, text.indexOf('`;')), false);
    assert.strictEqual(insidePrivateKey(text, 3), false);
    assert.strictEqual(insidePrivateKey('-----BEGIN CERTIFICATE-----\nAAAA', 30), false);
  });

  it('redacts the leading key lines of a window that starts inside the key', () => {
    const cut = text.indexOf(KEY_LINES[1]);
    const window = text.slice(cut, text.indexOf('-----END')).replace(/\n$/, '\nconst more = 1;');
    const redacted = redactSecrets(window, new SecretVault(), { startsInsideKey: true });
    assert.strictEqual(redacted.text, '<redacted:private-key>\nconst more = 1;');
    // Without being told, a run of bare base64 lines is kept (it could be anything).
    assert.strictEqual(redactSecrets(window).text, window);
  });
});
