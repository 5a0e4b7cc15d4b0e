// The last guard against printing a secret: every secret value the process reads is registered here and
// masked in anything written to the terminal or the log, whatever path it took to get there.

const MASK = '********';

export class Redactor {
  readonly #values = new Set<string>();

  add(secret: string): void {
    // Very short values would mask ordinary words; they are still never printed on purpose.
    if (secret.length >= 4) this.#values.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.#values) out = out.split(value).join(MASK);
    return out;
  }
}
