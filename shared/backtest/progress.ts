// A one-line progress bar on a terminal (stderr), redrawn at most once per percent.
export function progressBar(
  label: string,
  write: (s: string) => void,
): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === last) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)} %`);
    if (done >= total) write('\n');
  };
}
