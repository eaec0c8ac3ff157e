/** Who is making a change, when, and through what: recorded on every event. */
export interface Actor {
  readonly operator: string;
  /** The moment the change is recorded. */
  readonly now: Date;
  readonly source: 'cli' | 'menu' | 'import' | 'demo';
}
