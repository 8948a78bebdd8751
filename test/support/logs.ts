/**
 * Captures every log line a test run writes: process stdout and stderr (where lib/logger.ts
 * writes its JSON lines) and the global console methods (the local adapter). Captured output
 * is kept, not printed.
 */
import { logger } from '../../lib/logger.js';

type Write = typeof process.stdout.write;
type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'trace';
const CONSOLE: ConsoleMethod[] = ['log', 'info', 'warn', 'error', 'debug', 'trace'];

/** What a leak looks like in a report: the line (cut short) and which secret it holds. */
export type Leak = { secret: string; line: string };

export class LogCapture {
  /** Every line written while capturing, in order. */
  readonly lines: string[] = [];
  private restoreAll: (() => void)[] = [];

  /** Start capturing, with the logger at `level` (tests run it SILENT) until stop(). */
  start(level: 'DEBUG' | 'INFO' = 'DEBUG'): this {
    const previous = logger.getLevelName();
    logger.setLogLevel(level);
    this.restoreAll.push(() => logger.setLogLevel(previous));
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = ((chunk: unknown, ...rest: unknown[]) => {
        this.add(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
        const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
        done?.();
        return true;
      }) as Write;
      this.restoreAll.push(() => {
        stream.write = original;
      });
    }
    for (const method of CONSOLE) {
      const original = console[method];
      console[method] = (...args: unknown[]) => {
        this.add(args.map((a) => (typeof a === 'string' ? a : safeJson(a))).join(' '));
      };
      this.restoreAll.push(() => {
        console[method] = original;
      });
    }
    return this;
  }

  /** Stop capturing and put everything back as it was. */
  stop(): void {
    for (const restore of this.restoreAll.splice(0).reverse()) restore();
  }

  /** Lines that are JSON log records (lib/logger.ts), parsed. */
  records(): Record<string, unknown>[] {
    return this.lines.flatMap((line) => {
      try {
        const value = JSON.parse(line);
        return value && typeof value === 'object' ? [value] : [];
      } catch {
        return [];
      }
    });
  }

  /** Every line holding one of the secrets, or text matching one of the patterns. */
  leaks(secrets: string[], patterns: RegExp[] = []): Leak[] {
    const found: Leak[] = [];
    const wanted = secrets.filter((s) => s.length >= 6);
    for (const line of this.lines) {
      for (const secret of wanted) {
        // JSON escapes some characters: look for the raw and the escaped form.
        if (line.includes(secret) || line.includes(JSON.stringify(secret).slice(1, -1))) {
          found.push({ secret: mask(secret), line: line.slice(0, 300) });
        }
      }
      for (const pattern of patterns) {
        const m = pattern.exec(line);
        if (m) found.push({ secret: `${pattern} (${mask(m[0])})`, line: line.slice(0, 300) });
      }
    }
    return found;
  }

  private add(text: string): void {
    for (const line of text.split('\n')) if (line.trim()) this.lines.push(line);
  }
}

/** Hash formats of bcrypt ($2a$, $2b$, $2y$ with a cost). */
export const BCRYPT_HASH = /\$2[aby]\$\d{2}\$/;

function safeJson(value: unknown): string {
  try {
    return value instanceof Error
      ? `${value.name}: ${value.message}\n${value.stack}`
      : JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Enough of a secret to recognise it in a failure, not enough to use it. */
function mask(secret: string): string {
  return `${secret.slice(0, 4)}…(${secret.length} chars)`;
}
