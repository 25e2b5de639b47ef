-- Inventory SDK, JDBC StockStore: schema version 1 for H2 2.x (file or in-memory).
-- Every table name starts with the Flyway placeholder ${prefix} (JdbcStockStore.builder().tablePrefix()).
-- Times are BIGINT epoch nanoseconds (UTC), so java.time.Instant values round-trip exactly.
-- H2 compares and sorts strings like String.compareTo (unless the database sets a collation or
-- IGNORECASE, which this store does not support).

-- One row per SKU: the catalog item and its stock level together, so that the guarded stock change
-- is one conditional UPDATE that sees allow_backorder. low_alert_id / out_alert_id name the SKU's
-- open alert of each kind; they change only under this row's lock.
CREATE TABLE ${prefix}item (
  tenant              VARCHAR(64)  NOT NULL,
  sku                 VARCHAR(128) NOT NULL,
  name                VARCHAR(200) NOT NULL,
  name_search         VARCHAR(400) NOT NULL, -- name.toLowerCase(Locale.ROOT)
  sku_search          VARCHAR(256) NOT NULL, -- sku.toLowerCase(Locale.ROOT)
  location            VARCHAR(64)  NOT NULL,
  low_stock_threshold BIGINT,
  allow_backorder     BOOLEAN      NOT NULL,
  item_version        BIGINT       NOT NULL,
  created_at          BIGINT       NOT NULL,
  updated_at          BIGINT       NOT NULL,
  on_hand             BIGINT       NOT NULL,
  reserved            BIGINT       NOT NULL,
  stock_version       BIGINT       NOT NULL,
  stock_updated_at    BIGINT       NOT NULL,
  low_alert_id        BIGINT,
  out_alert_id        BIGINT,
  CONSTRAINT ${prefix}item_pk PRIMARY KEY (tenant, sku),
  CONSTRAINT ${prefix}item_on_hand_ck CHECK (on_hand >= 0),
  CONSTRAINT ${prefix}item_reserved_ck CHECK (reserved >= 0)
);

-- Where a SKU is sold; the primary key makes a channel SKU id belong to one SKU per tenant.
CREATE TABLE ${prefix}listing (
  tenant         VARCHAR(64)  NOT NULL,
  channel        VARCHAR(64)  NOT NULL,
  channel_sku_id VARCHAR(128) NOT NULL,
  sku            VARCHAR(128) NOT NULL,
  product_id     VARCHAR(128) NOT NULL,
  ordinal        INTEGER      NOT NULL,
  CONSTRAINT ${prefix}listing_pk PRIMARY KEY (tenant, channel, channel_sku_id),
  CONSTRAINT ${prefix}listing_item_fk FOREIGN KEY (tenant, sku) REFERENCES ${prefix}item (tenant, sku)
);
CREATE INDEX ${prefix}listing_sku_idx ON ${prefix}listing (tenant, sku, ordinal);

-- The append-only ledger. Ids come from the identity inside the transaction that holds the SKU's
-- row lock, so they increase in commit order per SKU. Written only by the store, under that lock.
CREATE TABLE ${prefix}movement (
  id              BIGINT GENERATED ALWAYS AS IDENTITY,
  tenant          VARCHAR(64)  NOT NULL,
  sku             VARCHAR(128) NOT NULL,
  movement_type   VARCHAR(16)  NOT NULL,
  quantity        BIGINT       NOT NULL,
  on_hand_before  BIGINT       NOT NULL,
  on_hand_after   BIGINT       NOT NULL,
  reserved_before BIGINT       NOT NULL,
  reserved_after  BIGINT       NOT NULL,
  reason          VARCHAR(500),
  reference       VARCHAR(500),
  actor           VARCHAR(500),
  idempotency_key VARCHAR(200),
  occurred_at     BIGINT       NOT NULL,
  CONSTRAINT ${prefix}movement_pk PRIMARY KEY (id)
);
CREATE INDEX ${prefix}movement_sku_idx ON ${prefix}movement (tenant, sku, id);
CREATE INDEX ${prefix}movement_tenant_idx ON ${prefix}movement (tenant, id);
CREATE INDEX ${prefix}movement_key_idx ON ${prefix}movement (tenant, idempotency_key);

-- Orders. Lines are "sku<TAB>quantity" rows joined by newlines: identifiers contain no control
-- characters, and an order's lines are always read and written as a whole.
CREATE TABLE ${prefix}orders (
  tenant         VARCHAR(64)  NOT NULL,
  order_id       VARCHAR(128) NOT NULL,
  status         VARCHAR(16)  NOT NULL,
  order_lines    CHARACTER VARYING NOT NULL,
  returned_lines CHARACTER VARYING NOT NULL,
  version        BIGINT       NOT NULL,
  created_at     BIGINT       NOT NULL,
  updated_at     BIGINT       NOT NULL,
  CONSTRAINT ${prefix}orders_pk PRIMARY KEY (tenant, order_id)
);

-- Alerts. At most one open alert per SKU and kind: open_marker is 1 while open and NULL after, and
-- the unique index allows any number of NULLs.
CREATE TABLE ${prefix}alert (
  id                BIGINT GENERATED ALWAYS AS IDENTITY,
  tenant            VARCHAR(64)  NOT NULL,
  sku               VARCHAR(128) NOT NULL,
  kind              VARCHAR(16)  NOT NULL,
  status            VARCHAR(16)  NOT NULL,
  available_at_open BIGINT       NOT NULL,
  threshold         BIGINT       NOT NULL,
  opened_at         BIGINT       NOT NULL,
  resolved_at       BIGINT,
  resolved_by       VARCHAR(500),
  notification      VARCHAR(16)  NOT NULL,
  delivery          VARCHAR(16)  NOT NULL,
  delivery_attempts INTEGER      NOT NULL,
  open_marker       TINYINT GENERATED ALWAYS AS (CASE WHEN status = 'OPEN' THEN 1 ELSE NULL END),
  CONSTRAINT ${prefix}alert_pk PRIMARY KEY (id),
  CONSTRAINT ${prefix}alert_item_fk FOREIGN KEY (tenant, sku) REFERENCES ${prefix}item (tenant, sku)
);
CREATE UNIQUE INDEX ${prefix}alert_open_uq ON ${prefix}alert (tenant, sku, kind, open_marker);
CREATE INDEX ${prefix}alert_tenant_idx ON ${prefix}alert (tenant, status, id);
CREATE INDEX ${prefix}alert_pending_idx ON ${prefix}alert (delivery, id);

-- One application per idempotency key and tenant: the primary key.
CREATE TABLE ${prefix}idempotency (
  tenant      VARCHAR(64)  NOT NULL,
  idem_key    VARCHAR(200) NOT NULL,
  fingerprint VARCHAR(255) NOT NULL,
  order_id    VARCHAR(128),
  created_at  BIGINT       NOT NULL,
  CONSTRAINT ${prefix}idempotency_pk PRIMARY KEY (tenant, idem_key)
);

-- EventInbox: the primary key is the deduplication point.
CREATE TABLE ${prefix}inbox (
  tenant       VARCHAR(64)  NOT NULL,
  source       VARCHAR(64)  NOT NULL,
  event_id     VARCHAR(255) NOT NULL,
  payload      CHARACTER LARGE OBJECT NOT NULL,
  received_at  BIGINT       NOT NULL,
  processed_at BIGINT,
  attempts     INTEGER      NOT NULL,
  last_error   CHARACTER LARGE OBJECT,
  CONSTRAINT ${prefix}inbox_pk PRIMARY KEY (tenant, source, event_id)
);
CREATE INDEX ${prefix}inbox_pending_idx ON ${prefix}inbox (processed_at, received_at, event_id);

-- LeaseStore.
CREATE TABLE ${prefix}lease (
  lease_name VARCHAR(128) NOT NULL,
  owner      VARCHAR(255) NOT NULL,
  expires_at BIGINT       NOT NULL,
  CONSTRAINT ${prefix}lease_pk PRIMARY KEY (lease_name)
);
