import type { Role } from './vocabulary.js';

/** What the acting operator may do: everything while the register is in open access, else their role and areas. */
export type Access = { readonly open: true } | { readonly open: false; readonly role: Role; readonly areaIds: readonly number[] };

/** Who is making a change, when, and through what: recorded on every event. */
export interface Actor {
  readonly operator: string;
  /**
   * The operator who actually entered it, when an admin records on another
   * operator's behalf ("anna for ferretti"); null or absent otherwise.
   */
  readonly enteredBy?: string | null;
  /** The moment the change is recorded. */
  readonly now: Date;
  readonly source: 'cli' | 'menu' | 'import' | 'demo';
  /**
   * Resolved from the operating-system account by the command line. When
   * absent (tests, the demo), the operator's role is looked up by name.
   */
  readonly access?: Access;
}
