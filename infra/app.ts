/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`): one environment-agnostic stack, configured by
 * context (see infra/fargated-defaults.ts and docs/deploy.md), checked by cdk-nag at synth.
 */
import { App } from 'aws-cdk-lib'
import { readConfig } from './fargated-config.js'
import { FargatedStack } from './fargated-stack.js'
import { addNagChecks } from './nag.js'

const app = new App()
const config = readConfig((key) => app.node.tryGetContext(key))
new FargatedStack(app, config.stackName, { config })
addNagChecks(app)
app.synth()
