/** The ingest service: Segment's and Amplitude's HTTP APIs in front of the Meta Pixel destination. */
export { startIngestService, DEFAULT_SERVICE_RETRY } from './server'
export { loadServiceSources } from '../runner/config'
export type { IngestService, ServiceOptions } from './types'
