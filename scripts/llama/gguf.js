'use strict';
// Reads the metadata of a GGUF file (its header: key/value pairs), enough to check that a file
// really is the model it claims to be: architecture, name, tokenizer, and which fill-in-the-middle
// tokens its vocabulary has. Long arrays (the vocabulary) are summarised, not returned whole.
//
// Use: `node scripts/llama/gguf.js FILE` prints the summary as JSON.

const fs = require('fs');

const TYPES = {
  0: ['u8', 1], 1: ['i8', 1], 2: ['u16', 2], 3: ['i16', 2], 4: ['u32', 4], 5: ['i32', 4],
  6: ['f32', 4], 7: ['bool', 1], 8: ['string', 0], 9: ['array', 0], 10: ['u64', 8], 11: ['i64', 8], 12: ['f64', 8],
};

class Reader {
  constructor(fd) {
    this.fd = fd;
    this.pos = 0;
    this.buf = Buffer.alloc(0);
    this.bufStart = 0;
  }

  need(n) {
    const off = this.pos - this.bufStart;
    if (off + n <= this.buf.length) return this.buf.subarray(off, off + n);
    const size = Math.max(n, 1 << 20);
    const b = Buffer.alloc(size);
    const got = fs.readSync(this.fd, b, 0, size, this.pos);
    if (got < n) throw new Error(`GGUF: unexpected end of file at byte ${this.pos}`);
    this.buf = b.subarray(0, got);
    this.bufStart = this.pos;
    return this.buf.subarray(0, n);
  }

  take(n) {
    const b = this.need(n);
    this.pos += n;
    return b;
  }

  u32() { return this.take(4).readUInt32LE(0); }
  u64() { return Number(this.take(8).readBigUInt64LE(0)); }
  str() {
    const n = this.u64();
    if (n > 1 << 26) throw new Error(`GGUF: string of ${n} bytes at byte ${this.pos}`);
    return this.take(n).toString('utf8');
  }

  scalar(type) {
    switch (type) {
      case 0: return this.take(1).readUInt8(0);
      case 1: return this.take(1).readInt8(0);
      case 2: return this.take(2).readUInt16LE(0);
      case 3: return this.take(2).readInt16LE(0);
      case 4: return this.u32();
      case 5: return this.take(4).readInt32LE(0);
      case 6: return this.take(4).readFloatLE(0);
      case 7: return this.take(1).readUInt8(0) !== 0;
      case 8: return this.str();
      case 10: return this.u64();
      case 11: return Number(this.take(8).readBigInt64LE(0));
      case 12: return this.take(8).readDoubleLE(0);
      default: throw new Error(`GGUF: unknown value type ${type}`);
    }
  }
}

/** Reads the header's key/value pairs; arrays longer than `keepArray` are kept only when `keep(key)` says so. */
function readMetadata(file, { keep = () => false, keepArray = 16 } = {}) {
  const fd = fs.openSync(file, 'r');
  try {
    const r = new Reader(fd);
    const magic = r.take(4).toString('latin1');
    if (magic !== 'GGUF') throw new Error(`${file} is not a GGUF file (magic ${JSON.stringify(magic)})`);
    const version = r.u32();
    const tensors = r.u64();
    const count = r.u64();
    const kv = {};
    for (let i = 0; i < count; i++) {
      const key = r.str();
      const type = r.u32();
      if (type === 9) {
        const itemType = r.u32();
        const n = r.u64();
        const whole = n <= keepArray || keep(key);
        const items = whole ? [] : undefined;
        for (let j = 0; j < n; j++) {
          const v = r.scalar(itemType);
          if (items) items.push(v);
        }
        kv[key] = items ?? { type: `array<${TYPES[itemType]?.[0] ?? itemType}>`, length: n };
      } else {
        kv[key] = r.scalar(type);
      }
    }
    return { version, tensors, kv };
  } finally {
    fs.closeSync(fd);
  }
}

const FIM_TOKENS = ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>', '<|file_sep|>', '<file_sep>'];

/** What matters for choosing a model: who it is, its tokenizer, its context, and its FIM tokens. */
function summarize(file) {
  const { version, tensors, kv } = readMetadata(file, { keep: (k) => k === 'tokenizer.ggml.tokens' });
  const tokens = kv['tokenizer.ggml.tokens'];
  const arch = kv['general.architecture'];
  const vocab = Array.isArray(tokens) ? tokens : [];
  const fim = {};
  for (const t of FIM_TOKENS) {
    const id = vocab.indexOf(t);
    if (id >= 0) fim[t] = id;
  }
  const pick = (k) => kv[k];
  return {
    gguf: version,
    tensors,
    architecture: arch,
    name: pick('general.name'),
    basename: pick('general.basename'),
    sizeLabel: pick('general.size_label'),
    finetune: pick('general.finetune'),
    fileType: pick('general.file_type'),
    contextLength: pick(`${arch}.context_length`),
    blockCount: pick(`${arch}.block_count`),
    embeddingLength: pick(`${arch}.embedding_length`),
    tokenizer: pick('tokenizer.ggml.model'),
    tokenizerPre: pick('tokenizer.ggml.pre'),
    vocabSize: vocab.length,
    fimTokens: fim,
    fimIds: {
      prefix: pick('tokenizer.ggml.fim_pre_token_id'),
      suffix: pick('tokenizer.ggml.fim_suf_token_id'),
      middle: pick('tokenizer.ggml.fim_mid_token_id'),
    },
    hasChatTemplate: typeof pick('tokenizer.chat_template') === 'string',
  };
}

module.exports = { readMetadata, summarize };

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node scripts/llama/gguf.js FILE.gguf\n');
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(summarize(file), null, 2)}\n`);
}
