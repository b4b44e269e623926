import type { PayloadOf } from '../field-types'
import type { fields } from './fields'

/** The mapped event perform and performBatch receive, derived from the field definitions. */
export type Payload = PayloadOf<typeof fields>
