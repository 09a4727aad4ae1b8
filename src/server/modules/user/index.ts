/** User module: accounts and the directory. */
export { createUserService, toUser, type UserService, type NewUser } from './user.service.js';
export {
  findById as findUserRow,
  findByEmail as findUserRowByEmail,
  updateUser as updateUserRow,
  type UserRow,
} from './user.repository.js';
