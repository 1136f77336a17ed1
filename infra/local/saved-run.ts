// What `npm start -- --persist` keeps in .local/state besides dynalite and the queue journal: the run
// (the simulated exchange, the equity curve, the whole-run counters) in run.json, and the Telegram
// transcript as JSON lines — appended as messages are sent, so a resumed run reports all of them.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SimState, Simulator } from '../../shared/adapters/sim/simulator.ts';
import type { BotMessage } from './bot-api.ts';
import { CorruptLocalState, readJsonLines } from './corrupt-state.ts';
import { plainText } from './telegram.ts';

/** Figures of the whole run (every process of it), saved with the run. */
export interface RunTotals {
  /** Domain events published, by type (OrderPlaced, OrderFilled, RiskAlert, …). */
  events: Record<string, number>;
}

export interface SavedRun {
  symbols: string[];
  start: number;
  end: number;
  initialTotal: number;
  exposedBars: number;
  equity: { time: number[]; value: number[] };
  sim: SimState;
  /** Absent in a run.json written before whole-run totals were kept: counted from the resume on. */
  totals?: RunTotals;
}

// The shape checked on load, so a damaged file is refused by name instead of failing somewhere later.
// The simulator's own state is checked for its skeleton; its loadState does the rest.
const SavedRunSchema = z.object({
  symbols: z.array(z.string()),
  start: z.number(),
  end: z.number(),
  initialTotal: z.number(),
  exposedBars: z.number(),
  equity: z.object({ time: z.array(z.number()), value: z.array(z.number()) }),
  sim: z
    .object({
      k: z.number(),
      fundingCursor: z.array(z.number()),
      orders: z.array(z.object({ clientOrderId: z.string() }).passthrough()),
      open: z.array(z.string()),
      ledger: z.object({ positions: z.array(z.unknown()), fills: z.array(z.unknown()) }).passthrough(),
    })
    .passthrough(),
  totals: z.object({ events: z.record(z.string(), z.number()) }).optional(),
});

/** The saved run in `file`, or undefined if there is none. A damaged file: CorruptLocalState. */
export function readSavedRun(file: string): SavedRun | undefined {
  if (!existsSync(file)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // Never the parser's message: it quotes the file's content.
    throw new CorruptLocalState(
      file,
      `is not valid JSON (${statSync(file).size} bytes: cut short or damaged)`,
    );
  }
  const parsed = SavedRunSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') || 'top level';
    throw new CorruptLocalState(file, `is not a saved run of this version (field ${where})`);
  }
  return parsed.data as unknown as SavedRun;
}

export function writeSavedRun(file: string, run: SavedRun): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(run));
  renameSync(`${file}.tmp`, file);
}

/** A bot message as one transcript line. */
export function botMessageLine(m: BotMessage): string {
  return `🤖 ${m.photo ? '[chart] ' : ''}${plainText(m.text)}`;
}

/** Bot messages of the whole run, one line each; on disk when persisting. */
export class Transcript {
  readonly lines: string[] = [];
  /** A last record cut mid-write by a kill, dropped on load (0 or 1). */
  readonly droppedPartial: number = 0;

  constructor(private readonly file?: string) {
    if (!file || !existsSync(file)) return;
    const { records, droppedPartial } = readJsonLines(file, (r) => {
      if (typeof r !== 'string') throw new Error('not a transcript line');
      return r;
    });
    this.lines.push(...records);
    this.droppedPartial = droppedPartial;
    // Rewritten whole, so the next append never continues a line cut short.
    writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }

  add(line: string): void {
    this.lines.push(line);
    if (this.file) appendFileSync(this.file, `${JSON.stringify(line)}\n`);
  }
}

/**
 * The run kept in `persistDir` (none: a new run), loaded into `sim`, and its transcript. Damaged
 * files are refused with CorruptLocalState; a run on other symbols with a plain error saying so.
 */
export function resumeSavedRun(
  persistDir: string | undefined,
  symbols: string[],
  sim: Simulator,
): { saved: SavedRun | undefined; transcript: Transcript } {
  if (!persistDir) return { saved: undefined, transcript: new Transcript() };
  mkdirSync(persistDir, { recursive: true });
  const runFile = join(persistDir, 'run.json');
  const saved = readSavedRun(runFile);
  if (saved) {
    if (saved.symbols.join(',') !== symbols.join(','))
      throw new Error(
        `${persistDir} holds a run on ${saved.symbols.join(', ')}, not ${symbols.join(', ')}: remove it (rm -rf ${persistDir}) or choose the same symbols`,
      );
    try {
      sim.loadState(saved.sim);
    } catch {
      throw new CorruptLocalState(runFile, 'holds a simulated exchange this market data cannot continue');
    }
  }
  const transcriptFile = join(persistDir, 'transcript.jsonl');
  if (!saved) rmSync(transcriptFile, { force: true }); // a new run, a new transcript
  return { saved, transcript: new Transcript(transcriptFile) };
}
