// node-postgres's row parsing and parameter encoding, which its own cursor
// packages use from these paths; this states the part we use.
declare module 'pg/lib/result' {
  export default class Result {
    command: string;
    rows: Array<Record<string, unknown>>;
    rowCount: number | null;
    addFields(fields: unknown[]): void;
    parseRow(fields: unknown[]): Record<string, unknown>;
    addRow(row: Record<string, unknown>): void;
    addCommandComplete(message: unknown): void;
  }
}

declare module 'pg/lib/utils' {
  export function prepareValue(value: unknown): unknown;
}
