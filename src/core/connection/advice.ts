/**
 * Test Connection's report: what the probes (./probe.ts) found, the kind of server where it can be
 * told, and the next steps in the user's terms (start Ollama, `ollama pull`, the completion mode to
 * choose, the key to set). Pure: the editor layer shows the report and turns suggestions into buttons.
 */
import { Settings, type SettingKey } from '../names';
import type { HttpOutcome, ProbeResult } from './probe';

export type ServerKind = 'ollama' | 'llama.cpp' | 'vllm' | 'lmstudio' | 'openai' | 'unknown';

export const KIND_LABELS: Record<ServerKind, string> = {
  ollama: 'Ollama',
  'llama.cpp': 'llama.cpp server',
  vllm: 'vLLM',
  lmstudio: 'LM Studio',
  openai: 'OpenAI',
  unknown: 'an OpenAI-compatible server',
};

export interface Finding {
  level: 'ok' | 'info' | 'warn' | 'error';
  /** Markdown, one or two sentences. */
  text: string;
}

export type Suggestion =
  | { type: 'setting'; key: SettingKey; value: string; label: string }
  | { type: 'command'; command: 'setApiKey' | 'selectModel' | 'openSettings'; label: string }
  | { type: 'copy'; text: string; label: string };

export interface AdviceInput {
  chatModel: string;
  completionModel: string;
  completionMode: string;
  /** Whether this build's redline.completion.mode offers `infill` (llama.cpp's /infill). */
  infillModeAvailable: boolean;
  hasApiKey: boolean;
  timeoutMs: number;
}

export interface Report {
  baseURL: string;
  kind: ServerKind;
  /** False when the kind is only a guess from the URL (no server answered). */
  kindCertain: boolean;
  reachable: boolean;
  chatWorks: boolean;
  models?: string[];
  fim: 'suffix' | 'suffix-ignored' | 'no-suffix' | 'no-completions' | 'unknown';
  infill: 'available' | 'refused' | 'absent' | 'unknown';
  recommendedMode?: string;
  summary: string;
  findings: Finding[];
  suggestions: Suggestion[];
}

const PORT_GUESS: Record<string, ServerKind> = { '11434': 'ollama', '1234': 'lmstudio', '8000': 'vllm', '8080': 'llama.cpp' };

function hostOf(baseURL: string): { host: string; port: string } {
  try {
    const url = new URL(baseURL);
    return { host: url.hostname, port: url.port };
  } catch {
    return { host: '', port: '' };
  }
}

export function detectKind(result: ProbeResult): { kind: ServerKind; certain: boolean } {
  const { host, port } = hostOf(result.baseURL);
  const owned = result.models.ownedBy ?? [];
  if (result.hints.ollamaVersion) return { kind: 'ollama', certain: true };
  if (host === 'api.openai.com') return { kind: 'openai', certain: true };
  if (result.hints.vllmVersion || owned.includes('vllm')) return { kind: 'vllm', certain: true };
  if (result.hints.llamaCppProps || owned.includes('llamacpp')) return { kind: 'llama.cpp', certain: true };
  if (result.hints.lmStudio || owned.includes('organization_owner')) return { kind: 'lmstudio', certain: true };
  if (owned.includes('library')) return { kind: 'ollama', certain: true };
  if (result.models.status === 0 && PORT_GUESS[port]) return { kind: PORT_GUESS[port], certain: false };
  return { kind: 'unknown', certain: false };
}

const code = (s: string) => `\`${s.replace(/`/g, '')}\``;

function failure(o: HttpOutcome): string {
  if (o.status === 0) return o.network === 'timeout' ? 'no answer in time' : `no answer (${o.network ?? 'network error'})`;
  return `HTTP ${o.status}${o.message ? `: ${o.message}` : ''}`;
}

function startHint(kind: ServerKind, model: string): string {
  switch (kind) {
    case 'ollama':
      return `Ollama is not running. Start it with ${code('ollama serve')} in a terminal (or open the Ollama app), then run **Redline: Test Connection** again. No Ollama yet? Install it from https://ollama.com, then ${code(`ollama pull ${model}`)}.`;
    case 'lmstudio':
      return "LM Studio's local server is not running: in LM Studio open the Developer tab and start the server (port 1234).";
    case 'vllm':
      return `vLLM is not running: start it with ${code(`vllm serve ${model}`)} (port 8000).`;
    case 'llama.cpp':
      return `llama.cpp's server is not running: start it with ${code('llama-server -m <model>.gguf --port 8080')}.`;
    default:
      return 'Start the server, or set `redline.endpoint.baseUrl` to where it listens.';
  }
}

const SUFFIX_REFUSAL = /suffix|insert|infill|fill[- ]in|fim/i;

export function advise(result: ProbeResult, input: AdviceInput): Report {
  const { kind, certain } = detectKind(result);
  const findings: Finding[] = [];
  const suggestions: Suggestion[] = [];
  const where = code(result.baseURL);
  const models = result.models;
  const reachable = models.status !== 0;
  const report: Report = {
    baseURL: result.baseURL,
    kind,
    kindCertain: certain,
    reachable,
    chatWorks: false,
    fim: 'unknown',
    infill: 'unknown',
    summary: '',
    findings,
    suggestions,
  };
  const settingsStep = (): void => {
    if (!suggestions.some((s) => s.type === 'command' && s.command === 'openSettings')) suggestions.push({ type: 'command', command: 'openSettings', label: 'Open Settings' });
  };

  // 1. Does anything answer?
  if (!reachable) {
    if (models.network === 'ENOTFOUND' || models.network === 'EAI_AGAIN') {
      findings.push({ level: 'error', text: `The host of ${where} cannot be found (${models.network}). Check \`redline.endpoint.baseUrl\`.` });
    } else if (models.network === 'timeout') {
      findings.push({ level: 'error', text: `Nothing answered at ${where} within ${Math.round(input.timeoutMs / 1000)} seconds.` });
    } else {
      const why = models.network && models.network !== 'network' ? ` (${models.network})` : '';
      findings.push({ level: 'error', text: `No server answers at ${where}${why}.` });
    }
    findings.push({ level: 'info', text: startHint(kind, input.chatModel) });
    settingsStep();
    report.summary = `No server answers at ${result.baseURL}${kind !== 'unknown' ? ` (${KIND_LABELS[kind]}'s usual address)` : ''}.`;
    return report;
  }

  const kindText = `${KIND_LABELS[kind]}${result.hints.ollamaVersion ? ` ${result.hints.ollamaVersion}` : result.hints.vllmVersion ? ` ${result.hints.vllmVersion}` : ''}`;
  if (kind !== 'unknown') findings.push({ level: 'info', text: `Server: ${kindText}.` });

  if (models.status === 401 || models.status === 403) {
    findings.push({
      level: 'error',
      text: `The server at ${where} ${models.status === 403 ? 'refused access with' : 'rejected'} ${input.hasApiKey ? 'the API key' : 'the request: it needs an API key'} (HTTP ${models.status}).`,
    });
    suggestions.push({ type: 'command', command: 'setApiKey', label: 'Set API Key' });
  } else if (models.status === 200 && models.ids) {
    report.models = models.ids;
    const shown = models.ids.slice(0, 12).map(code).join(', ');
    findings.push({
      level: models.ids.length ? 'ok' : 'warn',
      text: models.ids.length
        ? `${where} lists ${models.ids.length} model${models.ids.length === 1 ? '' : 's'}: ${shown}${models.ids.length > 12 ? ', …' : ''}.`
        : `${where} answers but lists no models.`,
    });
  } else {
    const hint = /\/v1\/?$/.test(result.baseURL) ? '' : ' Most servers want a base URL ending in `/v1`.';
    findings.push({ level: 'warn', text: `Listing models at ${where} failed (${failure(models)}).${hint}` });
    if (hint) settingsStep();
  }

  // 2. The configured models.
  const missing = (model: string) => !!report.models && report.models.length > 0 && !report.models.includes(model) && !report.models.includes(`${model}:latest`);
  const chat = result.chat;
  const chatModelMissing = missing(input.chatModel) || chat?.status === 404;
  const pullHint = (model: string, role: string): void => {
    if (kind === 'ollama') {
      findings.push({ level: 'error', text: `The ${role} model ${code(model)} is not pulled. Run ${code(`ollama pull ${model}`)} in a terminal.` });
      suggestions.push({ type: 'copy', text: `ollama pull ${model}`, label: `Copy "ollama pull ${model}"` });
    } else {
      findings.push({ level: 'error', text: `The ${role} model ${code(model)} is not on this server. Choose one of its models with **Redline: Select Chat Model…**.` });
      if (!suggestions.some((s) => s.type === 'command' && s.command === 'selectModel')) suggestions.push({ type: 'command', command: 'selectModel', label: 'Select Model' });
    }
  };
  if (chatModelMissing) pullHint(input.chatModel, 'chat');
  if (input.completionModel !== input.chatModel && missing(input.completionModel)) pullHint(input.completionModel, 'inline-suggestion');

  // 3. Chat.
  if (chat) {
    if (chat.status === 200) {
      report.chatWorks = true;
      findings.push({ level: 'ok', text: `Chat works: ${code(input.chatModel)} answered a one-token request in ${chat.ms} ms.` });
    } else if (chat.status === 401 || chat.status === 403) {
      findings.push({ level: 'error', text: `Chat was refused (HTTP ${chat.status}): ${input.hasApiKey ? 'check the API key' : 'set an API key'}.` });
      if (!suggestions.some((s) => s.type === 'command' && s.command === 'setApiKey')) suggestions.push({ type: 'command', command: 'setApiKey', label: 'Set API Key' });
    } else if (chat.status === 404 && chatModelMissing) {
      // Said above.
    } else if (chat.status === 404) {
      findings.push({ level: 'error', text: `No chat endpoint at ${code(`${result.baseURL}/chat/completions`)} (HTTP 404). Check that \`redline.endpoint.baseUrl\` ends in \`/v1\`.` });
      settingsStep();
    } else {
      findings.push({ level: 'error', text: `Chat failed (${failure(chat)}).` });
    }
  }

  // 4. Fill-in-the-middle.
  const completions = result.completions;
  if (completions) {
    if (completions.status === 200) {
      if (kind === 'llama.cpp') {
        report.fim = 'suffix-ignored';
        findings.push({ level: 'warn', text: "`/v1/completions` answers, but llama.cpp's server ignores `suffix` there: use its `/infill` route or a FIM template." });
      } else {
        report.fim = 'suffix';
        findings.push({ level: 'ok', text: `Fill-in-the-middle: \`/v1/completions\` honours \`suffix\` with ${code(input.completionModel)}.` });
      }
    } else if (completions.status === 404 && !(completions.message && SUFFIX_REFUSAL.test(completions.message)) && !(missing(input.completionModel))) {
      report.fim = 'no-completions';
      findings.push({
        level: report.chatWorks ? 'warn' : 'error',
        text: `No legacy \`/v1/completions\` endpoint here (HTTP 404)${report.chatWorks ? ' while chat works' : ''}: inline suggestions need \`redline.completion.mode\` = \`chat\`.`,
      });
    } else if (completions.status >= 400 && completions.status < 600 && completions.message && SUFFIX_REFUSAL.test(completions.message)) {
      report.fim = 'no-suffix';
      findings.push({ level: 'warn', text: `\`/v1/completions\` refuses \`suffix\` for ${code(input.completionModel)} (HTTP ${completions.status}: ${completions.message}).` });
    } else if (completions.status !== 404) {
      findings.push({ level: 'warn', text: `The fill-in-the-middle probe failed (${failure(completions)}).` });
    }
  }
  const infill = result.infill;
  if (infill) {
    if (infill.status === 200) {
      report.infill = 'available';
      findings.push({ level: 'ok', text: "llama.cpp's `/infill` route is available." });
    } else if (infill.status === 404 || infill.status === 405) {
      report.infill = 'absent';
      findings.push({ level: 'info', text: 'No `/infill` route (only llama.cpp has one).' });
    } else if (infill.status !== 0) {
      report.infill = 'refused';
      findings.push({ level: 'info', text: `\`/infill\` exists but refused the probe (${failure(infill)}).` });
    }
  }

  // 5. The completion mode to use.
  let recommended: string | undefined;
  if (report.fim === 'suffix') recommended = 'completions';
  else if (report.infill === 'available' && input.infillModeAvailable) recommended = 'infill';
  else if (report.fim === 'suffix-ignored' || report.fim === 'no-suffix') recommended = 'fim-template';
  else if (report.fim === 'no-completions' && report.chatWorks) recommended = 'chat';
  if (recommended) {
    report.recommendedMode = recommended;
    if (recommended !== input.completionMode) {
      const why =
        recommended === 'chat'
          ? `this server has no \`/v1/completions\`, so inline suggestions set to ${code(input.completionMode)} would fail`
          : recommended === 'completions'
            ? 'the server applies the model\'s own fill-in-the-middle format: faster and better suggestions than chat'
            : recommended === 'infill'
              ? "llama.cpp's `/infill` applies the model's fill-in-the-middle format"
              : 'the server does not apply a fill-in-the-middle format itself, so Redline writes it (pick the model family in `redline.completion.fimTemplate`)';
      findings.push({ level: recommended === 'chat' ? 'warn' : 'info', text: `Set \`redline.completion.mode\` to ${code(recommended)}: ${why}.` });
      suggestions.push({ type: 'setting', key: Settings.completionMode, value: recommended, label: `Use "${recommended}" for suggestions` });
    } else {
      findings.push({ level: 'ok', text: `\`redline.completion.mode\` is ${code(recommended)}, which suits this server.` });
    }
  }

  const parts: string[] = [];
  parts.push(report.models ? `${report.models.length} model${report.models.length === 1 ? '' : 's'}` : 'models not listed');
  parts.push(report.chatWorks ? 'chat OK' : 'chat failing');
  parts.push(
    {
      suffix: 'FIM with suffix',
      'suffix-ignored': 'suffix ignored',
      'no-suffix': 'no FIM suffix',
      'no-completions': 'no /v1/completions',
      unknown: 'FIM unknown',
    }[report.fim],
  );
  parts.push(report.infill === 'available' ? '/infill available' : report.infill === 'absent' ? 'no /infill' : report.infill === 'refused' ? '/infill refused' : '/infill unknown');
  const problems = findings.some((f) => f.level === 'error');
  report.summary = `${problems ? 'Problems with' : 'Connected to'} ${kind === 'unknown' ? '' : `${kindText} at `}${result.baseURL}: ${parts.join(', ')}.`;
  return report;
}

const ICONS: Record<Finding['level'], string> = { ok: '✔', info: 'ℹ', warn: '⚠', error: '✖' };

/** The report as Markdown, for a read-only document. */
export function renderReport(report: Report, when: Date): string {
  const lines = [`# Redline: Test Connection`, '', `${report.summary}`, '', `Tested ${when.toISOString().replace('T', ' ').slice(0, 19)} UTC.`, ''];
  for (const f of report.findings) lines.push(`- ${ICONS[f.level]} ${f.text}`);
  if (report.suggestions.length) {
    lines.push('', '## Next steps', '');
    for (const s of report.suggestions) {
      if (s.type === 'setting') lines.push(`- Set \`redline.${s.key}\` to \`${s.value}\`.`);
      else if (s.type === 'copy') lines.push(`- Run \`${s.text}\` in a terminal.`);
      else lines.push(`- ${s.label}.`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/**
 * The next step to add to a failed request's message, in the user's terms (the message already names
 * the endpoint). Only what the URL and the failure tell; Test Connection finds out the rest.
 */
export function errorNextStep(kind: 'unreachable' | 'notFound', baseURL: string, model?: string): string {
  const { port } = hostOf(baseURL);
  const guess = PORT_GUESS[port];
  if (kind === 'unreachable') {
    if (guess === 'ollama') return 'Is Ollama running? Start it with `ollama serve`, or run Test Connection.';
    if (guess) return `Is ${KIND_LABELS[guess]} running? Start it, or run Test Connection.`;
    return 'Is the server running at that address? Test Connection shows what to fix.';
  }
  if (guess === 'ollama' && model) return `If it is not pulled yet, run \`ollama pull ${model.replace(/`/g, '')}\`; Test Connection lists the models you have.`;
  return "Test Connection lists the server's models and what it supports.";
}
