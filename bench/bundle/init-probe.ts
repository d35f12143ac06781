/**
 * What one fresh `node` process runs to time a bundle's module init: the Lambda runtime's
 * `awslambda` global stubbed, the function environment set, then `import()` of the bundle
 * timed (wall clock, and the process's CPU time, which other load on the machine disturbs
 * less), and for the API a first request (GET /_ping through bufferedHandler: the app and its
 * dependencies are built on it, with no AWS call). Prints one JSON line.
 */
export const PROBE_SCRIPT = `
globalThis.awslambda = { streamifyResponse: (f) => f, HttpResponseStream: { from: (s) => s } }
const [file, ping] = process.argv.slice(1)
const t0 = performance.now()
const c0 = process.cpuUsage()
const m = await import(file)
const importMs = performance.now() - t0
const c1 = process.cpuUsage(c0)
const importCpuMs = (c1.user + c1.system) / 1000
let firstRequestMs, status
if (ping === 'ping') {
  const t1 = performance.now()
  const res = await m.bufferedHandler({ httpMethod: 'GET', path: '/_ping', resource: '/{proxy+}', headers: {}, multiValueHeaders: {},
    queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
    requestContext: { httpMethod: 'GET', path: '/_ping', stage: 'prod', requestId: 'r', identity: { sourceIp: '127.0.0.1' } } }, {})
  firstRequestMs = performance.now() - t1
  status = res.statusCode
}
console.log(JSON.stringify({ importMs, importCpuMs, firstRequestMs, status }))
`

/** The function environment (what the stack and the Lambda runtime set), enough to build the app. */
export const PROBE_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  FARGATED_TABLE: 'fargated',
  FARGATED_CLUSTER: 'fargated',
  FARGATED_SUBNETS: 'subnet-1',
  FARGATED_LOG_GROUP: '/fargated/runs',
  FARGATED_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/exec',
  FARGATED_TASK_ROLE_ARN: 'arn:aws:iam::111122223333:role/task',
  FARGATED_REGISTRY: '111122223333.dkr.ecr.us-east-1.amazonaws.com',
}
