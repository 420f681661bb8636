// Names for the API shapes the UI uses, taken from the generated `paths` so they follow
// the OpenAPI document whatever its schema names are.
import type { paths } from './schema';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** `GET /api/v1/me` */
export type Me = Json<paths['/api/v1/me']['get']['responses'][200]>;
/** `GET|PUT /api/v1/settings/api-key` */
export type ApiKeyView = Json<paths['/api/v1/settings/api-key']['get']['responses'][200]>;
/** Body of `PUT /api/v1/settings/api-key` and `POST /api/v1/settings/api-key/check` */
export type ApiKeyInput = Json<NonNullable<paths['/api/v1/settings/api-key']['put']['requestBody']>>;
/** `POST /api/v1/settings/api-key/check` */
export type ApiKeyCheck = Json<paths['/api/v1/settings/api-key/check']['post']['responses'][200]>;
