// Names for the API shapes the UI uses, taken from the generated `paths` so they follow
// the OpenAPI document whatever its schema names are.
import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
type Body<T> = Json<NonNullable<T>>;

/** `GET /api/v1/me` */
export type Me = Json<paths['/api/v1/me']['get']['responses'][200]>;
/** Whether the caller may use the app, as whom, and why (a sentence for people). */
export type Access = Me['access'];
/** What lets the caller in: `orgAdmin`, `productAdmin`, `userAccessAdmin`, or `jiraAdmin` before a key is saved. */
export type AccessRole = NonNullable<Access['as']>;
/** `GET|PUT /api/v1/settings/access`: which admins besides org admins may use the app, and what they see. */
export type AccessSettings = Json<paths['/api/v1/settings/access']['get']['responses'][200]>;
/** Body of `PUT /api/v1/settings/access` */
export type AccessSettingsInput = Body<paths['/api/v1/settings/access']['put']['requestBody']>;
/** `organization` (everything) or `administered` (only their own sites and products). */
export type AccessScope = AccessSettings['scope'];
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
/** `GET /api/v1/users/{accountId}/history`: one step an operation ran on the user, with its operation. */
export type HistoryEntry = Json<
  paths['/api/v1/users/{accountId}/history']['get']['responses'][200]
>[number];

/** Values of the filter's enumerations. */
export type Role = NonNullable<Filter['roles']>[number];
export type UserStatusValue = NonNullable<Filter['statuses']>[number];
export type AccountTypeValue = NonNullable<Filter['accountTypes']>[number];
export type ProductRef = NonNullable<Filter['products']>[number];

/** `GET /api/v1/groups`: one group, with whether orgwarden may change it. */
export type GroupInfo = Json<paths['/api/v1/groups']['get']['responses'][200]>[number];
/** Body of `POST /api/v1/operations` and `/preview`. */
export type OperationRequest = Body<paths['/api/v1/operations']['post']['requestBody']>;
/** One action of an operation. */
export type Action = OperationRequest['actions'][number];
/** The action types, in the order the modal offers them. */
export type ActionType = Action['type'];
/** One product on one site, as remove app access names it. */
export type AppTarget = NonNullable<
  Extract<Action, { type: 'removeAppAccess' }>['targets']
>[number];
/** Which users an operation acts on: `{filter}` or `{accountIds}`. */
export type OperationSelection = OperationRequest['selection'];
/** `POST /api/v1/operations/preview` (and a revert's preview). */
export type Preview = Json<paths['/api/v1/operations/preview']['post']['responses'][200]>;
/** One planned step of a preview. */
export type PreviewItem = Preview['items'][number];
/** `GET /api/v1/operations/{id}`: an operation with its progress. */
export type OperationView = Json<paths['/api/v1/operations/{id}']['get']['responses'][200]>;
/** `GET /api/v1/operations`: a page of operations, newest first. */
export type OperationPage = Json<paths['/api/v1/operations']['get']['responses'][200]>;
/** `GET /api/v1/operations/{id}/results` (JSON). */
export type OperationResults = Json<
  paths['/api/v1/operations/{id}/results']['get']['responses'][200]
>;
/** One step of an operation and how it ended. */
export type ResultItem = OperationResults['items'][number];
/** `GET /api/v1/operations/{id}/steps`: a page of an operation's steps, in plan order. */
export type StepsPage = Json<paths['/api/v1/operations/{id}/steps']['get']['responses'][200]>;
/** `GET /api/v1/settings/exemptions`: one exemption. */
export type Exemption = Json<paths['/api/v1/settings/exemptions']['get']['responses'][200]>[number];
/** Body of `POST /api/v1/settings/exemptions`. */
export type ExemptionInput = Body<paths['/api/v1/settings/exemptions']['post']['requestBody']>;
/** `user` or `group`. */
export type ExemptionKind = ExemptionInput['kind'];

/** `GET|PUT /api/v1/settings`: threshold, daily sync slot and time zone, seat prices. */
export type Settings = Json<paths['/api/v1/settings']['get']['responses'][200]>;
/** `GET /api/v1/filters`: one saved filter. */
export type SavedFilter = Json<paths['/api/v1/filters']['get']['responses'][200]>[number];
/** Body of `POST /api/v1/filters` and `PATCH /api/v1/filters/{id}` */
export type SavedFilterInput = Body<paths['/api/v1/filters']['post']['requestBody']>;

/** Body of `POST /api/v1/users/export` */
export type ExportRequest = Body<paths['/api/v1/users/export']['post']['requestBody']>;
/** File formats of an export. */
export type ExportFormat = ExportRequest['format'];
/** `POST /api/v1/users/import-selection`: which rows of a CSV matched which users. */
export type ImportResult = Json<paths['/api/v1/users/import-selection']['post']['responses'][200]>;

/** `GET /api/v1/dashboard/history` */
export type DashboardHistory = Json<paths['/api/v1/dashboard/history']['get']['responses'][200]>;
/** Query of `GET /api/v1/dashboard/history` */
export type HistoryQuery = NonNullable<
  paths['/api/v1/dashboard/history']['get']['parameters']['query']
>;
/** One daily snapshot of one product on one site. */
export type HistoryPoint = DashboardHistory['points'][number];

/** Body of `POST /api/v1/tokens` */
export type TokenInput = Body<paths['/api/v1/tokens']['post']['requestBody']>;
/** `read`, `write` (a token has `["read"]` or `["read", "write"]`). */
export type TokenScope = TokenInput['scopes'][number];
/** `POST /api/v1/tokens`: the new token with its secret `token`, which no other answer repeats. */
export type CreatedToken = Json<paths['/api/v1/tokens']['post']['responses'][201]>;
/** `GET /api/v1/tokens` */
export type TokenList = Json<paths['/api/v1/tokens']['get']['responses'][200]>;
/** One API token (never its secret). */
export type TokenView = TokenList['items'][number];

/** `GET /api/v1/audit`: a page of audit entries, newest first. */
export type AuditPage = Json<paths['/api/v1/audit']['get']['responses'][200]>;
/** One audit entry. */
export type AuditEntry = AuditPage['items'][number];
/** A dotted audit kind (`settings.updated`). */
export type AuditKind = AuditEntry['kind'];
/** Filters of `GET /api/v1/audit` and its export. */
export type AuditQuery = NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>;
/** `GET /api/v1/audit/verify` */
export type AuditVerification = Json<paths['/api/v1/audit/verify']['get']['responses'][200]>;

/** Body of `POST /api/v1/webhooks` and `PUT /api/v1/webhooks/{id}` */
export type WebhookInput = Body<paths['/api/v1/webhooks']['post']['requestBody']>;
/** An event a webhook can be sent (`test` only by "Send test"). */
export type WebhookEvent = WebhookInput['events'][number];
/** `POST /api/v1/webhooks`: the new webhook with its `secret`, which no other answer repeats. */
export type CreatedWebhook = Json<paths['/api/v1/webhooks']['post']['responses'][201]>;
/** One webhook (never its secret), with its last delivery. */
export type WebhookView = Json<paths['/api/v1/webhooks']['get']['responses'][200]>['items'][number];
/** A page of a webhook's delivery log, newest first, with the cursor of the next. */
export type DeliveryList = Json<paths['/api/v1/webhooks/{id}/deliveries']['get']['responses'][200]>;
/** One delivery of an event to a webhook. */
export type DeliveryView = DeliveryList['items'][number];
/** `pending`, `succeeded` or `failed`. */
export type DeliveryState = DeliveryView['state'];
/** `GET /api/v1/webhooks/{id}/deliveries/{deliveryId}`: a delivery with its payload and attempts. */
export type DeliveryDetail = Json<
  paths['/api/v1/webhooks/{id}/deliveries/{deliveryId}']['get']['responses'][200]
>;
/** One attempt of a delivery: its answer or error. */
export type DeliveryAttempt = DeliveryDetail['attempts'][number];
/** Body of `POST /api/v1/tasks` and `PUT /api/v1/tasks/{id}`. */
export type TaskInput = Body<paths['/api/v1/tasks']['post']['requestBody']>;
/** `GET /api/v1/tasks/{id}`: a task with who saved it, whose rights it acts with, its next and last run. */
export type Task = Json<paths['/api/v1/tasks/{id}']['get']['responses'][200]>;
/** When a task runs, in its time zone. */
export type Schedule = TaskInput['schedule'];
/** A day of a weekly schedule. */
export type Weekday = Extract<Schedule, { kind: 'weekly' }>['weekdays'][number];
/** A daily window (`HH:MM` to `HH:MM`) outside which a run does not start. */
export type ScheduleWindow = NonNullable<Schedule['window']>;
/** `GET /api/v1/tasks/{id}/runs`: one run (`state`: running, succeeded, partiallySucceeded, failed, cancelled). */
export type TaskRun = Json<
  paths['/api/v1/tasks/{id}/runs']['get']['responses'][200]
>['items'][number];
/** `GET /api/v1/tasks/{id}/runs/{processId}`: a run with its counts, and every step's outcome unless asked with `results=false` (a dry run's are `wouldAct` or `skip`). */
export type TaskRunDetail = Json<
  paths['/api/v1/tasks/{id}/runs/{processId}']['get']['responses'][200]
>;
/** Body of `POST /api/v1/tasks/preview`. */
export type TaskPreviewRequest = Body<paths['/api/v1/tasks/preview']['post']['requestBody']>;
/** `POST /api/v1/tasks/preview`: who a task would touch now (count, the first names, steps). */
export type TaskPreview = Json<paths['/api/v1/tasks/preview']['post']['responses'][200]>;
