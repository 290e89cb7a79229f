// RFC 4180 CSV: CRLF line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled.
// Values are written exactly (no spreadsheet formula defusing: a leading "-" is a negative number).

function field(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The header and rows as one CSV document (NULL becomes an empty field). */
export function toCsv(columns: string[], rows: (string | null)[][]): string {
  return [columns, ...rows].map((row) => `${row.map(field).join(',')}\r\n`).join('');
}
