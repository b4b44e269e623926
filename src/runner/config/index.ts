/** The runner's configuration, shared by the CLI and the ingest service: read, checked, and its target decided. */
export { ConfigError } from './check'
export { readConfigFile } from './load'
export {
  DRY_RUN_PIXEL_ID,
  dryRunConfigOf,
  loadDemoConfig,
  loadDryRunConfig,
  loadRunnerConfig,
  loadServiceSources,
  SANDBOX_ACCESS_TOKEN,
  SANDBOX_PIXEL_ID,
  sandboxConfig,
  type ServiceSources
} from './target'
export type { ConfigSources, RunnerConfig, Target } from './types'
