/**
 * Command-line flags for the eval runners (eval/run.ts, eval/live.ts): `--flag value` or `--flag=value`.
 */

/** What a flag's handler can take from the command line. */
export interface FlagValue {
  /** The flag's value (the `=` part, else the next argument); throws when there is none. */
  string(): string;
  /** The value as a number ≥ 0; throws when it is not one. */
  number(): number;
}

/**
 * Calls `on(flag, value, arg)` for each flag of `argv` in order; the handler takes the flag's value
 * when it has one, and returns false for a flag it does not know (an error naming it, plus `usage`).
 */
export function parseFlags(argv: readonly string[], on: (flag: string, value: FlagValue) => boolean, usage = ''): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const [flag, inline] = eq >= 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    const string = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = () => {
      const v = Number(string());
      if (!Number.isFinite(v) || v < 0) throw new Error(`${flag} needs a number`);
      return v;
    };
    if (!on(flag, { string, number })) throw new Error(`unknown argument ${arg}${usage ? ` (usage: ${usage})` : ''}`);
  }
}
