// The HTTP gateway: the public JSON API (OpenAPI at /openapi.json, docs at /docs) in front of
// the services' gRPC APIs.
export {
  buildGateway,
  startGateway,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_RATE_LIMIT,
  DEFAULT_PUBLIC_URL,
  type GatewayOptions,
  type StartGatewayOptions,
  type RunningGateway,
} from './app.js';
export { readGatewayConfig, ConfigError, DEFAULT_PORT, type GatewayConfig } from './config.js';
export {
  answerFor,
  problemType,
  HttpProblem,
  EDGE_CODES,
  STATUS_OF_KIND,
  PROBLEM_MEDIA_TYPE,
  type Problem,
  type FieldError,
} from './adapters/http/problem.js';
export { tokyoTime, instantOf, tokyoWeekOf } from './adapters/http/time.js';
export {
  readsAsBusiness,
  requireAccess,
  requireRegionStaff,
  requireOwnBusinessOrAnyOf,
  requireSelfOrAnyOf,
  requireSelfOrCoordinator,
  requireSubmitter,
  type Access,
} from './application/access.js';
export { EDGE_LIMITS, SHARED_SCHEMAS } from './adapters/http/schemas.js';

// The service's one definition (for runServiceProcess and the launcher).
export { gatewayDefinition, type GatewayService } from './service.js';
