import { shortId } from '../../core/ids.js'

/** Labels every engine container of a fargated run carries. */
export const LABELS = {
  container: 'fargated.container',
  namespace: 'fargated.namespace',
  run: 'fargated.run',
  token: 'fargated.token',
  /** A hash of the create body: a container created ahead of its start is started only with the settings it was made for. */
  config: 'fargated.config',
} as const

/** The engine container name of one run: `fargated-<shortId>-<runNumber>`. */
export function engineName(containerId: string, runNumber: number): string {
  return `fargated-${shortId(containerId)}-${runNumber}`
}

/** Engine `label` filters: the fargated marker plus the backend's extra labels. */
export function labelFilters(extra: Record<string, string>, containerId?: string): string[] {
  return [
    containerId ? `${LABELS.container}=${containerId}` : LABELS.container,
    ...Object.entries(extra).map(([k, v]) => `${k}=${v}`),
  ]
}

/** What a set of engine labels says about the fargated run it belongs to. */
export function runIdentity(labels: Record<string, string> | undefined): { containerId?: string; namespace?: string; runNumber?: number } {
  const run = labels?.[LABELS.run]
  const runNumber = run !== undefined && /^\d+$/.test(run) ? Number(run) : undefined
  return { containerId: labels?.[LABELS.container], namespace: labels?.[LABELS.namespace], runNumber }
}
