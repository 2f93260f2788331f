/** CEL compile issues and their rendering in cel-go's format (what users see in CRD refusals). */

export interface CheckIssue {
  /** Offset into the source text. */
  offset: number;
  message: string;
}

/**
 * Renders issues as cel-go's `Issues.String()` does, ordered by position: `ERROR: <input>:L:C: msg`
 * plus the source line and a caret.
 */
export function formatIssues(source: string, issues: CheckIssue[]): string {
  const lines = source.split('\n');
  return [...issues]
    .sort((a, b) => a.offset - b.offset)
    .map(({ offset, message }) => {
      let line = 0;
      let lineStart = 0;
      for (let i = 0; i < offset && i < source.length; i++) {
        if (source[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      const column = [...source.slice(lineStart, offset)].length;
      const snippet = (lines[line] ?? '').replaceAll('\t', ' ');
      return `ERROR: <input>:${line + 1}:${column + 1}: ${message}\n | ${snippet}\n | ${'.'.repeat(column)}^`;
    })
    .join('\n');
}
