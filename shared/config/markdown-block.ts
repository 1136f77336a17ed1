// Replace a generated block between two marker comments in a Markdown text (README tables generated
// from code, checked by tests so documentation cannot drift from behaviour).
export function replaceBlock(text: string, begin: string, end: string, block: string): string {
  const b = text.indexOf(begin);
  const e = text.indexOf(end);
  if (b < 0 || e < b) throw new Error(`README.md has no "${begin}" … "${end}" markers`);
  return text.slice(0, b) + block + text.slice(e + end.length);
}
