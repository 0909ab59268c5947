/** What every devstack service's start function resolves to. */
export interface RunningService {
  /** Base URL the service listens on, e.g. http://127.0.0.1:54330 (no trailing slash). */
  url: string;
  /** Stops the service and releases its port and connections. Safe to call twice. */
  close(): Promise<void>;
}
