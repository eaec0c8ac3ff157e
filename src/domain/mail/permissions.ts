import type { Permission } from '../operators.js';

/**
 * Who may run the mail commands (issue 14), with the existing permissions
 * that fit: URP's own ('assign', held by admin and urp) for sending, the
 * digests, the outbox and reading templates; 'manage' (admin only) for
 * changing templates.
 */
export const MAIL_PERMISSIONS = {
  send: 'assign',
  digest: 'assign',
  outbox: 'assign',
  templatesRead: 'assign',
  templatesChange: 'manage',
} as const satisfies Record<string, Permission>;
