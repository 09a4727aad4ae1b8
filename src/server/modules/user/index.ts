/** User module: accounts and the directory. Other modules ask the service, never the rows. */
export {
  createUserService,
  normalizeEmail,
  type Credentials,
  type UserService,
  type NewUser,
} from './user.service.js';
