import { describe, expect, it } from 'vitest'
import { translateEngineError } from '../../../shared/backends/docker/errors.js'
import { BackendError, ConflictError, EngineUnavailableError, InvalidRequestError, NotFoundError } from '../../../shared/core/errors.js'

function engineError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message} `), { statusCode, json: { message } })
}

describe('translateEngineError', () => {
  it('maps engine statuses to core errors with the engine message', () => {
    const nf = translateEngineError(engineError(404, 'No such container: x'))
    expect(nf).toBeInstanceOf(NotFoundError)
    expect(nf.message).toBe('No such container: x')
    expect(translateEngineError(engineError(409, 'Conflict. The container name is in use'))).toBeInstanceOf(ConflictError)
    expect(translateEngineError(engineError(400, 'bad parameter'))).toBeInstanceOf(InvalidRequestError)
    const other = translateEngineError(engineError(500, 'driver failed'), 'starting x')
    expect(other).toBeInstanceOf(BackendError)
    expect(other.message).toBe('starting x: driver failed')
  })

  it('turns an unreachable socket into EngineUnavailableError with the fix', () => {
    for (const code of ['ECONNREFUSED', 'ENOENT', 'EACCES']) {
      const e = translateEngineError(Object.assign(new Error(`connect ${code} /var/run/docker.sock`), { code, address: '/var/run/docker.sock' }))
      expect(e).toBeInstanceOf(EngineUnavailableError)
      expect(e.message).toContain("containers can't start until an engine runs")
      expect(e.message).toContain('sudo bash scripts/engine.sh')
      expect(e.message).toContain('/var/run/docker.sock')
    }
  })

  it('falls back to the text of errors without a JSON body', () => {
    expect(translateEngineError(Object.assign(new Error('(HTTP code 500) server error - boom '), { statusCode: 500 })).message).toBe('boom')
  })
})
