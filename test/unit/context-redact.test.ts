import * as assert from 'assert';
import fc from 'fast-check';
import { redactSecrets } from '../../src/core/context/redact';

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
  { name: 'short value', input: 'password = "hunter2"' },
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
