import type Dockerode from 'dockerode'

/** What every engine operation needs: the client and the backend's settings. */
export interface EngineContext {
  readonly docker: Dockerode
  /** Host address ports are published on. */
  readonly publishHost: string
  /** Extra labels put on (and required of) every engine container this backend manages. */
  readonly labels: Record<string, string>
}
