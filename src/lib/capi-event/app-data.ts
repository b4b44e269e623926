import type { AppDataInput } from './types'

export type AppDataResult = { ok: true; appData: Record<string, unknown> } | { ok: false; error: string }

// Meta's extinfo version slot: i2 for iOS, a2 for Android.
function extinfoVersion(osName: string | undefined): 'i2' | 'a2' | undefined {
  if (!osName) return undefined
  if (/ios|iphone|ipad/i.test(osName)) return 'i2'
  if (/android/i.test(osName)) return 'a2'
  return undefined
}

function slot(value: string | number | undefined): string {
  return value === undefined ? '' : String(value)
}

/** Meta's 16 extinfo positions, in its order, "" where unknown. */
function buildExtinfo(version: string, app: AppDataInput): string[] {
  return [
    version,
    slot(app.package_name),
    slot(app.short_version),
    slot(app.long_version),
    slot(app.os_version),
    slot(app.device_model),
    slot(app.locale),
    slot(app.timezone_abbreviation),
    slot(app.carrier),
    slot(app.screen_width),
    slot(app.screen_height),
    slot(app.screen_density),
    slot(app.cpu_cores),
    slot(app.storage_size),
    slot(app.free_storage),
    slot(app.device_timezone)
  ]
}

/** Meta's app_data for an app event; Meta rejects app events without the tracking flag or extinfo. */
export function buildAppData(app: AppDataInput | undefined): AppDataResult {
  if (app?.advertiser_tracking_enabled === undefined) {
    return { ok: false, error: 'app events need advertiser_tracking_enabled (the device ad-tracking permission)' }
  }
  const version = extinfoVersion(app.os_name)
  if (!version) return { ok: false, error: 'app events need the device OS name (iOS or Android) to build extinfo' }
  if (!app.os_version) return { ok: false, error: 'app events need the device OS version to build extinfo' }
  return {
    ok: true,
    appData: {
      advertiser_tracking_enabled: app.advertiser_tracking_enabled ? 1 : 0,
      application_tracking_enabled: (app.application_tracking_enabled ?? app.advertiser_tracking_enabled) ? 1 : 0,
      extinfo: buildExtinfo(version, app)
    }
  }
}
