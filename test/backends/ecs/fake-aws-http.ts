/**
 * A fake AWS JSON-protocol endpoint plugged in as the SDK's requestHandler: the whole SDK
 * middleware stack (serialization, signing, retries) runs, only the HTTP exchange is faked.
 * aws-sdk-client-mock stubs `send` above the retry middleware, so retries need this instead.
 */
export interface FakeRequest {
  /** The operation, from X-Amz-Target (`RunTask`, `RegisterTaskDefinition`, ...). */
  operation: string
  body: Record<string, unknown>
}

export interface FakeReply {
  status: number
  body: unknown
}

/** `{ __type, message }` as AWS JSON services return errors. */
export function awsError(status: number, type: string, message: string): FakeReply {
  return { status, body: { __type: type, message } }
}

export function fakeAwsHttp(reply: (req: FakeRequest) => FakeReply) {
  const requests: FakeRequest[] = []
  const handler = {
    async handle(request: { headers: Record<string, string>; body?: unknown }) {
      const target = Object.entries(request.headers).find(([k]) => k.toLowerCase() === 'x-amz-target')?.[1] ?? ''
      const raw = request.body
      const text = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? new TextDecoder().decode(raw) : ''
      const req: FakeRequest = { operation: target.slice(target.lastIndexOf('.') + 1), body: JSON.parse(text || '{}') }
      requests.push(req)
      const r = reply(req)
      return {
        response: {
          statusCode: r.status,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: new TextEncoder().encode(JSON.stringify(r.body)),
        },
      }
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {}
    },
  }
  return { handler, requests }
}
