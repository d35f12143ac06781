import { connect } from 'node:net'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handleAttachUpgrade, UPGRADE_RESPONSE } from '../../../shared/api/docker/attach.js'
import { frame } from '../../../shared/api/docker/log-frames.js'
import { ROOT_KEY } from '../../support/api-harness.js'
import { dockerCreate, startDockerHarness } from './docker-harness.js'
import { FollowingBackend } from './following-backend.js'

type H = Awaited<ReturnType<typeof startDockerHarness>>

/** The app on a loopback node server with the upgrade hook, as local mode wires it. */
async function listen(h: H): Promise<{ port: number; close(): Promise<void> }> {
  const server = serve({ fetch: h.app.fetch, hostname: '127.0.0.1', port: 0 }) as Server
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  server.on('upgrade', (req, socket, head) => void handleAttachUpgrade(h.deps, req, socket, head))
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

/**
 * A raw client that sends the CLI's attach request, half-closes its side at once (no stdin),
 * and collects everything until the server ends the connection.
 */
function attach(port: number, path: string, key: string | null = ROOT_KEY) {
  const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true })
  const chunks: Buffer[] = []
  let onHeader: (() => void) | undefined
  const header = new Promise<void>((resolve) => (onHeader = resolve))
  socket.on('data', (d: Buffer) => {
    chunks.push(d)
    if (Buffer.concat(chunks).includes('\r\n\r\n')) onHeader?.()
  })
  const ended = new Promise<Buffer>((resolve) => socket.on('end', () => resolve(Buffer.concat(chunks))))
  socket.on('connect', () => {
    const auth = key ? `Authorization: Bearer ${key}\r\n` : ''
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Docker-Client/28.2.2 (linux)\r\nContent-Length: 0\r\nConnection: Upgrade\r\nContent-Type: text/plain\r\nUpgrade: tcp\r\n${auth}\r\n`)
    socket.end()
  })
  return { header, ended, socket }
}

describe('attach on the local engine', () => {
  const backend = new FollowingBackend()
  let h: H
  let server: Awaited<ReturnType<typeof listen>>
  beforeAll(async () => {
    h = await startDockerHarness({ kind: 'docker', backend })
    server = await listen(h)
  })
  afterAll(async () => {
    await server.close()
    await h.close()
  })

  it('`docker run` order: attach (101) before start, then the run\'s frames, then FIN when it exits', async () => {
    const id = await dockerCreate(h, 'fg')
    const client = attach(server.port, `/v1.44/containers/${id}/attach?stderr=1&stdout=1&stream=1`)
    await client.header
    expect((await h.containers.resolve('default', id)).state.status).toBe('created')
    const wait = await h.request(`/v1.44/containers/${id}/wait?condition=next-exit`, { method: 'POST' })
    expect((await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })).status).toBe(204)
    const ref = (await h.store.getRun(id, 1))!.ref!
    backend.push(ref, [{ stream: 'stdout', message: 'hi-out' }, { stream: 'stderr', message: 'hi-err' }])
    await h.containers.observe(backend.stop(ref, 5))
    const all = await client.ended
    const head = Buffer.from(UPGRADE_RESPONSE)
    expect(all.subarray(0, head.length).toString()).toBe('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n')
    expect(new Uint8Array(all.subarray(head.length))).toEqual(Uint8Array.from([...frame(1, 'hi-out\n'), ...frame(2, 'hi-err\n')]))
    expect(await wait.json()).toEqual({ StatusCode: 5, Error: null })
  })

  it('sends raw bytes for a TTY container', async () => {
    const id = await dockerCreate(h, 'fg-tty', { Tty: true })
    const client = attach(server.port, `/v1.41/containers/${id}/attach?stderr=1&stdout=1&stream=1`)
    await client.header
    await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })
    const ref = (await h.store.getRun(id, 1))!.ref!
    backend.push(ref, [{ message: 'tty-line\r' }])
    await h.containers.observe(backend.stop(ref, 0))
    const all = await client.ended
    expect(all.subarray(Buffer.byteLength(UPGRADE_RESPONSE)).toString()).toBe('tty-line\r\n')
  })

  it('refuses a missing key (401) and an unknown container (404) without upgrading', async () => {
    const noKey = await attach(server.port, '/v1.44/containers/fg/attach?stream=1&stdout=1', null).ended
    expect(noKey.toString()).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/)
    expect(noKey.toString()).toContain('Content-Type: application/json\r\n')
    const missing = await attach(server.port, '/v1.44/containers/nope/attach?stream=1&stdout=1').ended
    expect(missing.toString()).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/)
    expect(missing.toString()).toContain('{"message":"No such container: nope"}')
  })

  it('streams as a plain response when the request does not ask for an upgrade', async () => {
    const id = await dockerCreate(h, 'plain')
    const res = await h.request(`/v1.44/containers/${id}/attach?stream=1&stdout=1&stderr=1`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.docker.multiplexed-stream')
    await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })
    const ref = (await h.store.getRun(id, 1))!.ref!
    backend.push(ref, [{ message: 'plain-out' }])
    await h.containers.observe(backend.stop(ref, 0))
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(frame(1, 'plain-out\n'))
  })
})

describe('attach on ECS', () => {
  let h: H
  let server: Awaited<ReturnType<typeof listen>>
  beforeAll(async () => {
    h = await startDockerHarness()
    server = await listen(h)
  })
  afterAll(async () => {
    await server.close()
    await h.close()
  })

  it('refuses the upgrade with a 501 that says to use run -d and logs -f', async () => {
    const id = await dockerCreate(h, 'ecs-fg')
    const answer = (await attach(server.port, `/v1.44/containers/${id}/attach?stderr=1&stdout=1&stream=1`).ended).toString()
    expect(answer).toMatch(/^HTTP\/1\.1 501 Not Implemented\r\n/)
    expect(answer).toMatch(/docker run -d/)
    expect(answer).toMatch(/docker logs -f/)
  })

  it('answers the plain route with the same 501 JSON', async () => {
    const id = await dockerCreate(h, 'ecs-plain')
    const res = await h.request(`/v1.44/containers/${id}/attach?stream=1&stdout=1`, { method: 'POST' })
    expect(res.status).toBe(501)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(((await res.json()) as { message: string }).message).toMatch(/docker logs -f/)
  })

  it('shows the hint where the CLI prints it: as a create warning', async () => {
    const res = await h.request('/v1.44/containers/create?name=ecs-warn', { method: 'POST', json: { Image: 'busybox', AttachStdout: true, AttachStderr: true } })
    expect(((await res.json()) as { Warnings: string[] }).Warnings).toEqual([expect.stringMatching(/docker run -d.*docker logs -f/)])
  })
})
