/**
 * How replicas tell each other that an organization's invites changed. The list cache serves only
 * while its bus can hear: a replica deaf to the others' invalidations would serve lists they made stale.
 */
export interface InvalidationBus {
  /** Whether invalidations from every replica reach this one now. */
  readonly hearing: boolean;
  /** Tells every other replica that `org` changed; never rejects, and never waits past its own bound. */
  publish(org: string): Promise<void>;
  /**
   * Registers who is told of another replica's invalidation (`org`), and of a time this replica
   * could not hear (`reset`: whatever it kept may have been invalidated meanwhile).
   */
  listen(listener: InvalidationListener): void;
  close(): Promise<void>;
}

export interface InvalidationListener {
  readonly invalidated: (org: string) => void;
  readonly reset: () => void;
}

/** One replica alone: nothing to tell, nothing to miss. */
export class LocalInvalidationBus implements InvalidationBus {
  readonly hearing = true;

  async publish(): Promise<void> {}

  listen(): void {}

  async close(): Promise<void> {}
}
