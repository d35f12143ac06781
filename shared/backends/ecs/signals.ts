import { UnsupportedError } from '../../core/errors.js'

const NUMBERS: Record<string, string> = { '9': 'KILL', '15': 'TERM' }

/**
 * The one thing Fargate can do with a signal: stop the task (SIGTERM, then SIGKILL after the
 * definition's stopTimeout). KILL/SIGKILL/9 and TERM/SIGTERM/15 map to a stop (an empty signal
 * is Docker's default, KILL); any other signal → UnsupportedError.
 */
export function stopSignalName(signal: string): 'KILL' | 'TERM' {
  const s = signal.trim().toUpperCase().replace(/^SIG/, '')
  const name = s === '' ? 'KILL' : (NUMBERS[s] ?? s)
  if (name === 'KILL' || name === 'TERM') return name
  throw new UnsupportedError(`Fargate can only stop a task; signal ${signal} cannot be delivered`)
}
