/**
 * `npm start`: fargated in local mode. Prints the URL, the admin key (first start only) and
 * the lines that point the docker CLI at it; says plainly when no engine runs yet.
 */
import { readLocalConfig } from './local-config.js'
import { startLocalServer } from './local-server.js'

const config = readLocalConfig()
const server = await startLocalServer(config, (m) => console.log(`[fargated] ${m}`))
// The socket is the engine's own transport and the faster one; the TCP port serves curl and other machines' tools.
const host = server.socketPath ? `unix://${server.socketPath}` : server.url.replace(/^http:\/\//, 'tcp://')

console.log(`
fargated (local mode) is listening on ${server.url}
  API docs:   ${server.url}/v1/docs      OpenAPI: ${server.url}/v1/openapi.json${server.socketPath ? `\n  Socket:     ${server.socketPath}  (the docker CLI's DOCKER_HOST=unix://…; the same API)` : ''}
  Data:       ${config.dataDir}`)
if (server.adminKeyCreated && server.adminKey) {
  console.log(`
  Admin API key (shown once — store it now; it is kept only as a hash):
    ${server.adminKey}`)
}
if (server.dockerConfigDir) {
  console.log(`
  Point the docker CLI at fargated:
    export DOCKER_HOST=${host}
    export DOCKER_CONFIG=${server.dockerConfigDir}
    docker run -d --name hello <image> sleep 300
  Or with curl:
    curl -H "Authorization: Bearer <key>" ${server.url}/v1/containers`)
} else {
  console.log(`
  Point the docker CLI at fargated:
    export DOCKER_HOST=${host}
    export DOCKER_CONFIG=${config.dataDir}/docker-config   # config.json with your key in HttpHeaders`)
}
setTimeout(() => {
  if (!server.engineAvailable()) {
    console.log(`
  No container engine is reachable (DOCKER_HOST or /var/run/docker.sock): the API and docs
  work, but containers can't start yet. Start one (Debian, as root) with:
    sudo bash scripts/engine.sh
  fargated picks it up as soon as it answers.`)
  }
}, 1500).unref()

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1)
    closing = true
    console.log(`\n[fargated] ${signal}: shutting down`)
    server.close().then(() => process.exit(0), (err) => { console.error(err); process.exit(1) })
  })
}
