import { Engine } from '../runner/engine'
import { messageOf, UsageError } from './errors'

/** The runner's engine; settings it rejects are a configuration error (exit 2). */
export function createEngine(...args: ConstructorParameters<typeof Engine>): Engine {
  try {
    return new Engine(...args)
  } catch (error) {
    throw new UsageError(`invalid settings: ${messageOf(error)}`)
  }
}
