/**
 * Named domain errors. `lib/` throws these; one middleware (lib/http/middleware.ts) turns them
 * into the contract's `{error: {code, message, ...extra}}` bodies. Anything else becomes a 500.
 */

/** Every error code of the contract and its HTTP status. */
export const ERROR_STATUS = {
  INVALID_JSON: 400,
  VALIDATION_FAILED: 400,
  WEAK_PASSWORD: 400,
  PASSWORD_REUSED: 400,
  INVALID_CURSOR: 400,
  INVALID_RESET_TOKEN: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  PASSWORD_CHANGE_REQUIRED: 403,
  ADMIN_REQUIRED: 403,
  FEATURE_NOT_IN_PLAN: 403,
  USER_LIMIT_REACHED: 403,
  USER_NOT_FOUND: 404,
  EMPLOYEE_NOT_FOUND: 404,
  USERNAME_TAKEN: 409,
  EMAIL_TAKEN: 409,
  LAST_ADMIN: 409,
  CANNOT_DELETE_SELF: 409,
  PAYLOAD_TOO_LARGE: 413,
  TOO_MANY_ATTEMPTS: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.status = ERROR_STATUS[code];
  }
}

export class InvalidJsonError extends AppError {
  constructor(message = 'The request body must be a JSON object.') {
    super('INVALID_JSON', message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limit: number) {
    super('PAYLOAD_TOO_LARGE', `The request body must be at most ${limit} bytes.`);
  }
}

export type ValidationDetail = { path: string; message: string };

export class ValidationFailedError extends AppError {
  constructor(details: ValidationDetail[]) {
    super('VALIDATION_FAILED', 'The request is not valid.', { details });
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Sign in to continue.') {
    super('UNAUTHENTICATED', message);
  }
}

export class InvalidCredentialsError extends AppError {
  constructor() {
    super('INVALID_CREDENTIALS', 'The account, username or password is not correct.');
  }
}

export class TooManyAttemptsError extends AppError {
  constructor(retryAfterSeconds: number) {
    super(
      'TOO_MANY_ATTEMPTS',
      'Too many failed sign-in attempts. Try again later or reset your password.',
      { retryAfter: retryAfterSeconds },
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

export class PasswordChangeRequiredError extends AppError {
  constructor() {
    super('PASSWORD_CHANGE_REQUIRED', 'Change your password before you continue.');
  }
}

export class AdminRequiredError extends AppError {
  constructor() {
    super('ADMIN_REQUIRED', 'Only an admin can do this.');
  }
}

export class FeatureNotInPlanError extends AppError {
  constructor(feature: string) {
    super('FEATURE_NOT_IN_PLAN', `Your plan does not include ${feature}.`, { feature });
  }
}

export class UserLimitReachedError extends AppError {
  constructor(limit: number) {
    super('USER_LIMIT_REACHED', `Your plan allows at most ${limit} users.`, { limit });
  }
}

export class WeakPasswordError extends AppError {
  constructor(reason: string) {
    super('WEAK_PASSWORD', reason);
  }
}

export class PasswordReusedError extends AppError {
  constructor() {
    super('PASSWORD_REUSED', 'The new password must differ from the current one.');
  }
}

export class InvalidCursorError extends AppError {
  constructor() {
    super('INVALID_CURSOR', 'The cursor is not valid for this list.');
  }
}

export class InvalidResetTokenError extends AppError {
  constructor() {
    super('INVALID_RESET_TOKEN', 'This reset link is not valid, was already used or has expired.');
  }
}

export class UserNotFoundError extends AppError {
  constructor() {
    super('USER_NOT_FOUND', 'No such user.');
  }
}

export class EmployeeNotFoundError extends AppError {
  constructor() {
    super('EMPLOYEE_NOT_FOUND', 'No such employee.');
  }
}

export class UsernameTakenError extends AppError {
  constructor() {
    super('USERNAME_TAKEN', 'That username is already in use in this account.');
  }
}

export class EmailTakenError extends AppError {
  constructor() {
    super('EMAIL_TAKEN', 'That email is already in use in this account.');
  }
}

export class LastAdminError extends AppError {
  constructor() {
    super('LAST_ADMIN', 'The account must keep at least one admin.');
  }
}

export class CannotDeleteSelfError extends AppError {
  constructor() {
    super('CANNOT_DELETE_SELF', 'You cannot delete your own user.');
  }
}

export class UnavailableError extends AppError {
  constructor(retryAfterSeconds = 1) {
    super(
      'UNAVAILABLE',
      'The service is busy. Try again shortly.',
      {},
      { 'retry-after': String(retryAfterSeconds) },
    );
  }
}

/** Operator-side errors (the accounts CLI); never reach HTTP. */
export class SlugTakenError extends Error {
  constructor(slug: string) {
    super(`An account with slug "${slug}" already exists.`);
    this.name = 'SlugTakenError';
  }
}

export class AccountNotFoundError extends Error {
  constructor(slug: string) {
    super(`No account has slug "${slug}".`);
    this.name = 'AccountNotFoundError';
  }
}
