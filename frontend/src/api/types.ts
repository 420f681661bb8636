// Names for the API shapes the UI uses, taken from the generated `paths` so they follow
// the OpenAPI document whatever its schema names are.
import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Body<T> = Json<NonNullable<T>>;

/** `GET /api/v1/me` */
export type Me = Json<paths['/api/v1/me']['get']['responses'][200]>;
/** `GET|PUT /api/v1/settings/api-key` */
export type ApiKeyView = Json<paths['/api/v1/settings/api-key']['get']['responses'][200]>;
/** Body of `PUT /api/v1/settings/api-key` and `POST /api/v1/settings/api-key/check` */
export type ApiKeyInput = Body<paths['/api/v1/settings/api-key']['put']['requestBody']>;
/** `POST /api/v1/settings/api-key/check` */
export type ApiKeyCheck = Json<paths['/api/v1/settings/api-key/check']['post']['responses'][200]>;

/** `GET|POST /api/v1/sync`: one sync run. */
export type SyncStatus = Json<paths['/api/v1/sync']['get']['responses'][200]>;

/** `GET /api/v1/dashboard` */
export type Dashboard = Json<paths['/api/v1/dashboard']['get']['responses'][200]>;
/** Query of `GET /api/v1/dashboard` */
export type DashboardQuery = NonNullable<paths['/api/v1/dashboard']['get']['parameters']['query']>;
/** One product on one site of the dashboard. */
export type ProductTile = Dashboard['products'][number];

/** Body of `POST /api/v1/users/search` */
export type UserSearchRequest = Body<paths['/api/v1/users/search']['post']['requestBody']>;
/** The one filter model (User Browser, later bulk operations and tasks). */
export type Filter = NonNullable<UserSearchRequest['filter']>;
/** A sort of the user list. */
export type Sort = NonNullable<UserSearchRequest['sort']>;
/** Columns the user list sorts by. */
export type SortField = NonNullable<Sort['field']>;
/** `POST /api/v1/users/search`: one page of users. */
export type UserPage = Json<paths['/api/v1/users/search']['post']['responses'][200]>;
/** One row of the user list. */
export type UserRow = UserPage['items'][number];
/** `POST /api/v1/users/select` */
export type Selection = Json<paths['/api/v1/users/select']['post']['responses'][200]>;
/** `GET /api/v1/users/{accountId}` */
export type UserDetail = Json<paths['/api/v1/users/{accountId}']['get']['responses'][200]>;
/** How one product access of a user is granted. */
export type AccessGrant = UserDetail['access'][number];

/** Values of the filter's enumerations. */
export type Role = NonNullable<Filter['roles']>[number];
export type UserStatusValue = NonNullable<Filter['statuses']>[number];
export type AccountTypeValue = NonNullable<Filter['accountTypes']>[number];
export type ProductRef = NonNullable<Filter['products']>[number];
