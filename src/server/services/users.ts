// The user as the services hand it to routes: the stored row and the wire UserSchema (api-contract
// section 4). Routes name these types from here, never from the store.
export type { UserRow, UserSchema } from '../store/users';
