/** The extension's outbox is the shared client's, kept in `storage.local` (the background passes `batchedStore(browser.storage.local)`). */
export {
  describeDropped,
  Outbox,
  OUTBOX_STORAGE_KEY,
  type DroppedEntry,
  type OutboxEntry,
  type OutboxKind,
  type OutboxMessage,
} from '../../shared/client/outbox';
