export { BackupService, scheduledBackupName, type ScheduledBackups } from './backupService.ts';
