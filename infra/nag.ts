import { Validations, type App } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'

/** Runs the cdk-nag AWS Solutions pack on every stack of `app` at synth (used by app.ts and the tests). */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }))
}
