import { createHash } from 'node:crypto'
import { InvalidRequestError } from '../errors.js'

/** Parses a JSON body (or GitHub's form encoding, `payload=<json>`); InvalidRequestError when it is neither. */
export function parseBody(body: string, contentType = ''): unknown {
  let text = body
  if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(body).get('payload')
    if (payload === null) throw new InvalidRequestError('a form-encoded delivery must carry a payload field')
    text = payload
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new InvalidRequestError('the delivery body is not JSON')
  }
}

export function bodyHash(body: string): string {
  return createHash('sha256').update(body).digest('hex')
}
