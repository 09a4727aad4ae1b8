/** User module: accounts and the directory. Other modules ask the service, never the rows. */
export {
  createUserService,
  normalizeEmail,
  toUser,
  type Credentials,
  type UserService,
  type NewUser,
} from './user.service.js';
