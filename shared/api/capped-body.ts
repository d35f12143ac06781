import { HTTPException } from 'hono/http-exception'

/**
 * Reads a request body as text, refusing (413) past `max` bytes without reading the rest —
 * also for chunked bodies that declare no Content-Length. `what` names it in the message.
 */
export async function readCappedBody(request: Request, max: number, what = 'the request body'): Promise<string> {
  const tooLarge = () => new HTTPException(413, { message: `${what} is larger than ${max} bytes` })
  const declared = Number(request.headers.get('content-length') ?? NaN)
  if (declared > max) throw tooLarge()
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
