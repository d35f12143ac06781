import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RUN_D_FULL, RUN_I_RM, bodyOf } from './fixtures.js'
import { dockerCreate, dockerRun, finishTask, startDockerHarness } from './docker-harness.js'

let h: Awaited<ReturnType<typeof startDockerHarness>>
beforeAll(async () => {
  h = await startDockerHarness()
})
afterAll(async () => h.close())

type Json = Record<string, unknown>
const message = async (res: Response) => ((await res.json()) as { message: string }).message

describe('POST /containers/create', () => {
  it('answers 201 {Id, Warnings} for the full `run -d` body and stores the translated spec', async () => {
    const res = await h.request('/v1.44/containers/create?name=rt-full', { method: 'POST', json: bodyOf(RUN_D_FULL, { Image: 'busybox:latest' }) })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toBe('application/json')
    const body = (await res.json()) as { Id: string; Warnings: string[] }
    expect(body.Id).toMatch(/^[0-9a-f]{64}$/)
    expect(body.Warnings).toEqual([expect.stringMatching(/8080/)])
    const c = await h.store.getContainer('default', body.Id)
    expect(c).toMatchObject({ name: 'rt-full', spec: { cpu: 0.5, memory: 256, env: { FOO: 'bar' } }, size: { cpu: 512, memory: 1024 } })
  })

  it('answers 409 with Docker\'s wording for a name in use', async () => {
    await dockerCreate(h, 'dup')
    const res = await h.request('/v1.44/containers/create?name=dup', { method: 'POST', json: { Image: 'busybox' } })
    expect(res.status).toBe(409)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(await message(res)).toMatch(/^Conflict\. The container name "\/dup" is already in use by container "[0-9a-f]{64}"/)
  })

  it('answers 404 No such image for an image the runtime cannot find (the CLI then pulls)', async () => {
    const res = await h.request('/v1.44/containers/create?name=noimg', { method: 'POST', json: { Image: 'missing/app:1' } })
    expect(res.status).toBe(404)
    expect(await message(res)).toBe('No such image: missing/app:1')
    expect(await h.store.nameOwner('default', 'noimg')).toBeUndefined()
  })

  it('answers 400 naming a refused option', async () => {
    const res = await h.request('/v1.44/containers/create', { method: 'POST', json: bodyOf(RUN_D_FULL, { 'HostConfig.Binds': ['/a:/b'], Image: 'busybox' }) })
    expect(res.status).toBe(400)
    expect(await message(res)).toMatch(/^-v\/--volume \(HostConfig\.Binds\) is not supported/)
  })

  it('answers 400 for -i on ECS, before anything is created', async () => {
    const res = await h.request('/v1.44/containers/create?name=interactive', { method: 'POST', json: bodyOf(RUN_I_RM, { Image: 'busybox' }) })
    expect(res.status).toBe(400)
    expect(await h.store.nameOwner('default', 'interactive')).toBeUndefined()
  })

  it('answers 400 for an invalid name and an out-of-range size', async () => {
    expect((await h.request('/v1.44/containers/create?name=bad%20name', { method: 'POST', json: { Image: 'busybox' } })).status).toBe(400)
    const huge = await h.request('/v1.44/containers/create', { method: 'POST', json: { Image: 'busybox', HostConfig: { NanoCpus: 64e9 } } })
    expect(huge.status).toBe(400)
  })

  it('takes the platform query parameter', async () => {
    const res = await h.request('/v1.44/containers/create?platform=linux%2Farm64', { method: 'POST', json: { Image: 'busybox' } })
    const { Id } = (await res.json()) as { Id: string }
    expect((await h.store.getContainer('default', Id))?.spec.platform).toBe('linux/arm64')
  })
})

describe('GET /containers/json', () => {
  it('lists running containers with the types the CLI decodes', async () => {
    const { id } = await dockerRun(h, 'ps-web', { Labels: { app: 'ps' }, ExposedPorts: { '80/tcp': {} }, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] } }, Cmd: ['sh', '-c', 'sleep 300'] })
    const list = (await (await h.request('/v1.44/containers/json')).json()) as Json[]
    const item = list.find((x) => x.Id === id)!
    expect(item).toMatchObject({
      Names: ['/ps-web'],
      Image: 'busybox',
      Command: "sh -c 'sleep 300'",
      Labels: { app: 'ps' },
      State: 'running',
      Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
      HostConfig: { NetworkMode: 'default' },
      NetworkSettings: { Networks: { awsvpc: expect.any(Object) } },
      Mounts: [],
    })
    expect(Number.isInteger(item.Created)).toBe(true)
    expect(item.Status).toMatch(/^Up (Less than a second|\d+ seconds?)$/)
    expect(item.ImageID).toBe('sha256:' + 'b'.repeat(64))
    expect(list.every((x) => x.State === 'running')).toBe(true)
  })

  it('with all=1 shows created and exited containers with Docker\'s status text', async () => {
    const created = await dockerCreate(h, 'ps-created')
    const { id, ref } = await dockerRun(h, 'ps-exited')
    await finishTask(h, ref, 3)
    const list = (await (await h.request('/v1.44/containers/json?all=1')).json()) as Json[]
    expect(list.find((x) => x.Id === created)).toMatchObject({ State: 'created', Status: 'Created', Ports: [] })
    expect(list.find((x) => x.Id === id)).toMatchObject({ State: 'exited', Status: expect.stringMatching(/^Exited \(3\) (Less than a second|\d+ seconds?) ago$/) })
  })

  it('applies filters (label, name, status, id) and limit server-side', async () => {
    const filters = (f: object) => `/v1.44/containers/json?all=1&filters=${encodeURIComponent(JSON.stringify(f))}`
    const names = async (path: string) => ((await (await h.request(path)).json()) as Json[]).map((x) => (x.Names as string[])[0])
    expect(await names(filters({ label: { 'app=ps': true } }))).toEqual(['/ps-web'])
    expect(await names(filters({ name: { 'ps-': true }, status: { exited: true } }))).toEqual(['/ps-exited'])
    expect(await names(filters({ status: { created: true }, name: { 'ps-created': true } }))).toEqual(['/ps-created'])
    const id = ((await (await h.request(filters({ name: { 'ps-web': true } }))).json()) as Json[])[0].Id as string
    expect(await names(filters({ id: { [id.slice(0, 12)]: true } }))).toEqual(['/ps-web'])
    expect(await names(`/v1.44/containers/json?all=1&limit=1`)).toHaveLength(1)
    expect((await h.request(filters({ bogus: { x: true } }))).status).toBe(400)
  })

  it('adds sizes with size=1', async () => {
    const list = (await (await h.request('/v1.44/containers/json?size=1')).json()) as Json[]
    expect(list[0]).toMatchObject({ SizeRw: 0, SizeRootFs: 0 })
  })
})

describe('GET /containers/{id}/json', () => {
  it('has the shape -f templates read (compare inspect-rt-full.json)', async () => {
    const res = await h.request('/v1.44/containers/create?name=insp', { method: 'POST', json: bodyOf(RUN_D_FULL, { Image: 'busybox:latest' }) })
    const { Id } = (await res.json()) as { Id: string }
    await h.request(`/v1.44/containers/insp/start`, { method: 'POST' })
    const body = (await (await h.request('/v1.44/containers/insp/json')).json()) as Json
    expect(body).toMatchObject({
      Id,
      Name: '/insp',
      Path: '/bin/sh',
      Args: ['-c', 'while true; do echo tick; echo err >&2; sleep 1; done'],
      RestartCount: 0,
      Mounts: [],
      State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', FinishedAt: '0001-01-01T00:00:00Z' },
      Config: {
        Hostname: Id.slice(0, 12),
        Env: ['FOO=bar', 'BAZ=qux'],
        Cmd: ['-c', 'while true; do echo tick; echo err >&2; sleep 1; done'],
        Entrypoint: ['/bin/sh'],
        Image: 'busybox:latest',
        WorkingDir: '/tmp',
        Labels: { app: 'web', tier: 'front' },
        ExposedPorts: { '80/tcp': {} },
        Tty: false,
        OpenStdin: false,
      },
      HostConfig: {
        NetworkMode: 'default',
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }] },
        RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
        Memory: 1024 * 1024 * 1024,
        NanoCpus: 500000000,
        AutoRemove: false,
      },
      NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] }, Networks: { awsvpc: expect.any(Object) } },
      Fargated: {
        size: { cpu: 512, memory: 1024, text: '0.5 vCPU / 1024 MiB' },
        requested: { cpu: 0.5, memory: 256 },
        capacity: 'on-demand',
        policies: { idle: null, maxLifetime: null, sizing: 'recommend', track: null },
        recommendation: null,
        costToDate: 0,
        runNumber: 1,
        taskArn: expect.stringMatching(/^arn:aws:ecs:/),
        stopCause: null,
      },
    })
    expect(typeof body.Created).toBe('string')
    expect(Number.isNaN(Date.parse(body.Created as string))).toBe(false)
    expect(typeof (body.State as Json).StartedAt).toBe('string')
  })

  it('resolves names with a leading slash and unique id prefixes; 404 otherwise', async () => {
    const id = await dockerCreate(h, 'byref')
    expect((await h.request('/v1.44/containers/%2Fbyref/json')).status).toBe(200)
    expect((await h.request(`/v1.44/containers/${id.slice(0, 12)}/json`)).status).toBe(200)
    const res = await h.request('/v1.44/containers/nonexistent-xyz/json')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ message: 'No such container: nonexistent-xyz' })
  })

  it('shows the exit of a stopped container and an empty Ports map', async () => {
    const { ref } = await dockerRun(h, 'insp-exit', { ExposedPorts: { '80/tcp': {} } })
    await finishTask(h, ref, 7)
    const body = (await (await h.request('/v1.44/containers/insp-exit/json')).json()) as Json
    expect(body.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 7 })
    expect((body.State as Json).FinishedAt).not.toBe('0001-01-01T00:00:00Z')
    expect((body.NetworkSettings as Json).Ports).toEqual({})
    expect((body.Fargated as Json).stopCause).toBe('exited')
  })
})

describe('lifecycle', () => {
  it('start 204, then 304 when already running; stop 204, then 304', async () => {
    const id = await dockerCreate(h, 'life')
    expect((await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })).status).toBe(204)
    const again = await h.request('/v1.44/containers/life/start', { method: 'POST' })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect((await h.request('/v1.44/containers/life/stop?t=2', { method: 'POST' })).status).toBe(204)
    expect((await h.request('/v1.44/containers/life/stop', { method: 'POST' })).status).toBe(304)
  })

  it('stop --signal SIGTERM is accepted; another signal is a 501 with the reason', async () => {
    await dockerRun(h, 'sig')
    const other = await h.request('/v1.44/containers/sig/stop?signal=SIGINT&t=7', { method: 'POST' })
    expect(other.status).toBe(501)
    expect(await message(other)).toMatch(/SIGTERM/)
    expect((await h.request('/v1.44/containers/sig/stop?signal=SIGTERM&t=7', { method: 'POST' })).status).toBe(204)
  })

  it('shows the runtime phase the start reported (the fake task starts RUNNING)', async () => {
    await dockerCreate(h, 'phase')
    await h.request('/v1.44/containers/phase/start', { method: 'POST' })
    const list = (await (await h.request(`/v1.44/containers/json?filters=${encodeURIComponent('{"name":{"phase":true}}')}`)).json()) as Json[]
    expect(list[0]).toMatchObject({ State: 'running', Status: expect.stringMatching(/^Up /) })
  })

  it('start of a missing container is 404', async () => {
    const res = await h.request('/v1.44/containers/nonexistent-xyz/start', { method: 'POST' })
    expect(res.status).toBe(404)
    expect(await message(res)).toBe('No such container: nonexistent-xyz')
  })

  it('restart gives a new run', async () => {
    await dockerRun(h, 'rs')
    expect((await h.request('/v1.44/containers/rs/restart?t=1', { method: 'POST' })).status).toBe(204)
    const c = await h.containers.resolve('default', 'rs')
    expect(c.runNumber).toBe(2)
    expect(c.state.running).toBe(true)
  })

  it('kill is 204 on a running container and 409 Cannot kill on a stopped one; bad signals are 400', async () => {
    await dockerRun(h, 'k')
    expect((await h.request('/v1.44/containers/k/kill?signal=%25bad', { method: 'POST' })).status).toBe(400)
    expect((await h.request('/v1.44/containers/k/kill?signal=SIGKILL', { method: 'POST' })).status).toBe(204)
    const res = await h.request('/v1.44/containers/k/kill', { method: 'POST' })
    expect(res.status).toBe(409)
    expect(await message(res)).toMatch(/^Cannot kill container: k: Container [0-9a-f]{64} is not running$/)
  })

  it('rm: 409 for a running container, 204 with force, 404 once gone', async () => {
    await dockerRun(h, 'rmme')
    const refused = await h.request('/v1.44/containers/rmme', { method: 'DELETE' })
    expect(refused.status).toBe(409)
    expect(await message(refused)).toMatch(/You cannot remove a running container/)
    expect((await h.request('/v1.44/containers/rmme?force=1&v=1', { method: 'DELETE' })).status).toBe(204)
    expect((await h.request('/v1.44/containers/rmme?force=1', { method: 'DELETE' })).status).toBe(404)
  })

  it('rename: 204, the new name resolves; 409 for a taken name; 400 without a name', async () => {
    await dockerCreate(h, 'old-name')
    await dockerCreate(h, 'taken')
    expect((await h.request('/v1.44/containers/old-name/rename?name=new-name', { method: 'POST' })).status).toBe(204)
    expect((await h.request('/v1.44/containers/new-name/json')).status).toBe(200)
    expect((await h.request('/v1.44/containers/new-name/rename?name=taken', { method: 'POST' })).status).toBe(409)
    expect((await h.request('/v1.44/containers/new-name/rename', { method: 'POST' })).status).toBe(400)
  })

  it('resize answers 200 for a container and 404 for none', async () => {
    await dockerCreate(h, 'tty')
    expect((await h.request('/v1.44/containers/tty/resize?h=30&w=100', { method: 'POST' })).status).toBe(200)
    expect((await h.request('/v1.44/containers/nope/resize?h=30&w=100', { method: 'POST' })).status).toBe(404)
  })

  it('top is a 501 with the reason on ECS', async () => {
    await dockerRun(h, 'topme')
    const res = await h.request('/v1.44/containers/topme/top?ps_args=aux')
    expect(res.status).toBe(501)
    expect(await message(res)).toMatch(/ECS Exec/)
  })

  it('update changes size and restart policy for the next start', async () => {
    await dockerCreate(h, 'upd')
    const res = await h.request('/v1.44/containers/upd/update', { method: 'POST', json: { NanoCpus: 2e9, Memory: 4 * 1024 ** 3, RestartPolicy: { Name: 'always', MaximumRetryCount: 0 }, CpuShares: 0 } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ Warnings: [] })
    const c = await h.containers.resolve('default', 'upd')
    expect(c.spec).toMatchObject({ cpu: 2, memory: 4096, restartPolicy: { name: 'always' } })
    const refused = await h.request('/v1.44/containers/upd/update', { method: 'POST', json: { CpusetCpus: '0-1' } })
    expect(refused.status).toBe(400)
  })

  it('prune removes stopped containers only', async () => {
    const stopped = await dockerCreate(h, 'prune-me', { Labels: { prune: 'yes' } })
    const { id: running } = await dockerRun(h, 'keep-me', { Labels: { prune: 'yes' } })
    const res = await h.request(`/v1.44/containers/prune?filters=${encodeURIComponent(JSON.stringify({ label: { 'prune=yes': true } }))}`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ContainersDeleted: [stopped], SpaceReclaimed: 0 })
    expect(await h.store.getContainer('default', running)).toBeDefined()
  })
})
