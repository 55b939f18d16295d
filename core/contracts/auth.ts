import { z } from 'zod';
import { IdSchema } from './common';
import { RoleSchema } from './enums';

export const LoginBodySchema = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof LoginBodySchema>;

/** The signed-in user as the web app sees it. */
export const MeSchema = z.object({
  id: IdSchema,
  login: z.string(),
  name: z.string(),
  role: RoleSchema,
  departmentId: IdSchema.nullable(),
  departmentName: z.string().nullable(),
  /** A wall-TV display session: the app shows the wallboard only (issue #18 item 7). */
  display: z.boolean().optional(),
});
export type Me = z.infer<typeof MeSchema>;

/**
 * Header the web app adds to calls made without recent user input (background polling): such calls keep the
 * session valid but do not count as activity for the idle sign-out (개인정보 안전성 확보조치 기준 제6조④).
 */
export const BACKGROUND_HEADER = 'x-onecall-background';

/**
 * How stale the server lets a session's last-seen time get before an active request refreshes it: a minute, or half
 * the idle limit when that is shorter (with a 1-minute limit a once-a-minute refresh would end busy sessions). The
 * server's last-seen time may lag a tab's last call by up to this much, so the web's idle watch ends that much early.
 */
export function activityRefreshMs(idleTimeoutMs: number): number {
  return Math.min(60_000, Math.floor(idleTimeoutMs / 2));
}

/** A TOTP code as typed: six digits (spaces are removed first). */
export const TotpCodeSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, '6자리 숫자를 입력하세요.'));

/** What an authenticator app needs to enrol: the otpauth URI as a QR image (data: URL) and the secret as text. */
export const TotpEnrolmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrDataUrl: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

/**
 * The answer to a right password when a second step is needed: a TOTP code ('totp'), or a first enrolment because
 * 2FA is required for the user ('enrol', with the secret to enrol). `challenge` is the pending step's token: it can
 * only be exchanged for a session with a right code before `expiresAt`.
 */
export const SignInStepSchema = z.object({
  /** 'password': the password is temporary (set by the admin) and must be replaced before anything else. */
  next: z.enum(['totp', 'enrol', 'password']),
  challenge: z.string(),
  expiresAt: z.string(),
  enrolment: TotpEnrolmentSchema.optional(),
});
export type SignInStep = z.infer<typeof SignInStepSchema>;

/** POST /api/auth/login answers with the user (signed in) or the second step. */
export const LoginAnswerSchema = z.union([MeSchema, SignInStepSchema]);
export type LoginAnswer = z.infer<typeof LoginAnswerSchema>;

/** True when the sign-in answer asks for a second step. */
export function isSignInStep(answer: LoginAnswer): answer is SignInStep {
  return 'next' in answer;
}

export const TotpCodeBodySchema = z.object({ challenge: z.string().min(1).max(100), code: TotpCodeSchema });
export type TotpCodeBody = z.infer<typeof TotpCodeBodySchema>;

/** Sign-in with a temporary password: the pending step's token and the new password. */
export const NewPasswordBodySchema = z.object({ challenge: z.string().min(1).max(100), newPassword: z.string().min(1).max(256) });
export type NewPasswordBody = z.infer<typeof NewPasswordBodySchema>;

export const ConfirmTotpBodySchema = z.object({ code: TotpCodeSchema });

/** Session ids are the SHA-256 (hex) of the token; the token itself never leaves the cookie. */
export const SessionIdSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** One session as its owner (or an admin) sees it. */
export const SessionInfoSchema = z.object({
  id: SessionIdSchema,
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  isCurrent: z.boolean(),
  /** A wall-TV display of the wallboard (상황판 표시 화면). */
  isDisplay: z.boolean(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

/** 내 보안 설정: 2FA state, the idle limit and the user's sessions. */
export const MySecuritySchema = z.object({
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  idleTimeoutMinutes: z.number(),
  passwordChangedAt: z.string().nullable(),
  sessions: z.array(SessionInfoSchema),
});
export type MySecurity = z.infer<typeof MySecuritySchema>;

export const ChangePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBodySchema>;

/** An account's security state in the admin panel. */
export const UserSecuritySchema = z.object({
  id: IdSchema,
  login: z.string(),
  name: z.string(),
  role: RoleSchema,
  departmentName: z.string().nullable(),
  isActive: z.boolean(),
  lockedUntil: z.string().nullable(),
  failedSignIns: z.number(),
  totpEnabled: z.boolean(),
  totpRequired: z.boolean(),
  sessionCount: z.number(),
});
export type UserSecurity = z.infer<typeof UserSecuritySchema>;
