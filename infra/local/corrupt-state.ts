// Reading the local runtime's files under --persist (.local/state) when they may be damaged: a refusal
// names the file and what to do, never echoes its content; a journal's last line cut mid-write by a
// kill is the normal crash case and is dropped with a count, not an error.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A persisted file the runtime cannot continue from. The message is for the user, one paragraph. */
export class CorruptLocalState extends Error {
  override readonly name = 'CorruptLocalState';
  constructor(
    readonly file: string,
    problem: string,
  ) {
    const dir = dirname(file);
    super(
      `cannot continue the saved run: ${file} ${problem}. Delete ${dir} to start over (rm -rf ${dir}); the run starts again from the beginning.`,
    );
  }
}

/**
 * The records of a JSON-lines file, each checked by `parse` (which throws on a record it rejects).
 * A last line without its newline that does not parse is a write cut short by a kill: dropped and
 * counted. Any other bad line is damage the runtime cannot reason about: CorruptLocalState.
 */
export function readJsonLines<T>(
  file: string,
  parse: (record: unknown) => T,
): { records: T[]; droppedPartial: number } {
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  // Text after the last newline is the line being written when the process died (empty if none).
  const tail = lines.pop() ?? '';
  const records: T[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let record: T;
    try {
      record = parse(JSON.parse(line));
    } catch {
      throw new CorruptLocalState(
        file,
        `is damaged at line ${i + 1} of ${lines.length + (tail ? 1 : 0)} (not a record this runtime wrote, and not a last line cut short by a kill)`,
      );
    }
    records.push(record);
  });
  let droppedPartial = 0;
  if (tail.trim()) {
    try {
      records.push(parse(JSON.parse(tail)));
    } catch {
      droppedPartial = 1;
    }
  }
  return { records, droppedPartial };
}
