/**
 * Meta's labels for the `user_data` keys, as the Conversions API parameters page and Events Manager show them
 * (developers.facebook.com/docs/marketing-api/conversions-api/parameters/customer-information-parameters).
 * One table for every page; the lead will point it at src/lib/contract/user-data-keys.ts once that lands.
 */
export const USER_DATA_LABELS: Readonly<Record<string, string>> = {
  em: 'Email',
  ph: 'Phone Number',
  fn: 'First Name',
  ln: 'Last Name',
  ge: 'Gender',
  db: 'Date of Birth',
  ct: 'City',
  st: 'State',
  zp: 'Zip Code',
  country: 'Country',
  external_id: 'External ID',
  f5first: 'First 5 letters of first name',
  f5last: 'First 5 letters of last name',
  fi: 'First initial',
  dobd: 'Day of birth',
  dobm: 'Month of birth',
  doby: 'Year of birth',
  client_ip_address: 'Client IP Address',
  client_user_agent: 'Client User Agent',
  fbc: 'Click ID',
  fbp: 'Browser ID',
  subscription_id: 'Subscription ID',
  fb_login_id: 'Facebook Login ID',
  lead_id: 'Lead ID',
  anon_id: 'Install ID',
  madid: 'Mobile Advertiser ID',
  page_id: 'Page ID',
  page_scoped_user_id: 'Page scoped user ID',
  ctwa_clid: 'Click to WhatsApp ID',
  ig_account_id: 'IG account ID',
  ig_sid: 'Click to Instagram ID'
}

export function userDataLabel(key: string): string {
  return USER_DATA_LABELS[key] ?? key
}
