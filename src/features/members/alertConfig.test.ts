import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';

describe('email alert configuration', () => {
  it('is off (and no email is asked for) when SMTP_URL is unset', () => {
    expect(loadConfig({}).alerts).toBeUndefined();
  });

  it('takes the SMTP URL and sender, with neutral defaults for the name and subject', () => {
    const config = loadConfig({ SMTP_URL: 'smtp://mail.example.org:587', ALERT_FROM: 'notices@example.org' });
    expect(config.alerts).toEqual({
      smtpUrl: 'smtp://mail.example.org:587',
      from: 'notices@example.org',
      senderName: 'Notifications',
      subject: 'New notice',
    });
    expect(Object.isFrozen(config.alerts)).toBe(true);
    const custom = loadConfig({
      SMTP_URL: 'smtps://mail.example.org',
      ALERT_FROM: 'rota@example.org',
      ALERT_SENDER_NAME: 'Rota',
      ALERT_SUBJECT: 'Your weekly update',
    });
    expect(custom.alerts).toMatchObject({ senderName: 'Rota', subject: 'Your weekly update' });
  });

  it('refuses an incomplete or unsafe configuration with a clear message', () => {
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n  ALERT_FROM: required when SMTP_URL is set (the sender address of alert emails)',
      ),
    );
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example.org', ALERT_FROM: 'a@example.org' })).toThrow(
      /SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/,
    );
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.org', ALERT_FROM: 'not an address' })).toThrow(
      /ALERT_FROM: must be an email address/,
    );
    // A header injection through the subject or the sender name is refused.
    expect(() =>
      loadConfig({
        SMTP_URL: 'smtp://mail.example.org',
        ALERT_FROM: 'a@example.org',
        ALERT_SUBJECT: 'Hi\r\nBcc: x@example.org',
      }),
    ).toThrow(/ALERT_SUBJECT: must be one line/);
    expect(() =>
      loadConfig({
        SMTP_URL: 'smtp://mail.example.org',
        ALERT_FROM: 'a@example.org',
        ALERT_SENDER_NAME: 'Evil <x@example.org>',
      }),
    ).toThrow(/ALERT_SENDER_NAME/);
  });
});
