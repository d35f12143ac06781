import type { ContainerService } from '../../shared/core/container-service.js'

/** One backend, wired to a ContainerService whose runtime events flow in the background. */
export interface ContractEnv {
  service: ContainerService
  namespace: string
  /** An image that has `sh`, `echo`, `sleep` (or the simulator's idea of them). */
  image: string
  /** Lets runtime events that have happened reach the store (best effort, bounded). */
  settle(): Promise<void>
  /** Holds runtime events (they queue up) until resumeEvents(). */
  pauseEvents(): void
  resumeEvents(): void
  /**
   * The next start reaches the runtime (a task/engine container starts) but its answer is lost.
   * With afterEventsApplied the failure surfaces only once the runtime's events about that run
   * have been applied (the run adopted), as when the SDK's retries outlast the first events.
   */
  loseNextStartResponse(options?: { afterEventsApplied?: boolean }): void
  /** How many tasks/engine containers the runtime has for a fargated container id. */
  runtimeRunCount(containerId: string): Promise<number>
  close(): Promise<void>
}
