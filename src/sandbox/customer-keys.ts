/** The sandbox page and match-quality estimate read customer-information keys and their labels as the contract defines them. */
export { CUSTOMER_INFO_KEYS, HASHED_KEYS, isPresent, presentCustomerKeys } from '../lib/contract/customer-information'
export { userDataLabel } from '../lib/contract/user-data-keys'
