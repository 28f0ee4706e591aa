/**
 * Builds a WHERE clause with numbered parameters. In each condition `?1`,
 * `?2` name the values passed with it, so conditions compose in any order.
 */
export class SqlConditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  add(sql: string, ...values: unknown[]): this {
    const first = this.params.length + 1;
    this.params.push(...values);
    this.parts.push(sql.replace(/\?(\d)/g, (_, n: string) => `$${first + Number(n) - 1}`));
    return this;
  }

  /** Adds a value that is not part of a condition (a LIMIT) and answers its placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  where(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
