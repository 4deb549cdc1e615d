/**
 * What deliveries and jobs share, whatever holds it (this process's memory,
 * or Redis for several replicas): the interfaces only, so the audit and the
 * jobs name what they need without the implementations.
 */

/** "Seen lately?" across deliveries: true the first time a key is claimed within its time to live. */
export interface OnceKeys {
  claim(key: string): Promise<boolean>;
}

/** One-at-a-time sections per key (report-issue writes per repository): all an audit or a command needs of a lock. */
export interface KeyedLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
