/** User module: accounts and the directory. */
export { createUserService, toUser, type UserService, type NewUser } from './user.service.js';
export { userRoutes } from './user.routes.js';
