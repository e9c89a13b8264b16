/** The extension's outbox is the shared client's, kept in `storage.local` (pass `storageAreaStore(browser.storage.local)`). */
export {
  describeDropped,
  Outbox,
  OUTBOX_STORAGE_KEY,
  type DroppedEntry,
  type OutboxKind,
  type OutboxMessage,
} from '../../shared/client/outbox';
