/**
 * A JDBC {@link io.creatorflow.inventory.spi.StockStore} for PostgreSQL, MySQL/MariaDB and H2:
 * {@link io.creatorflow.inventory.jdbc.JdbcStockStore}, built on Jdbi over a {@link
 * javax.sql.DataSource} the host supplies (and owns).
 *
 * <p>Nothing is {@code null} unless annotated {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.creatorflow.inventory.jdbc;

import org.jspecify.annotations.NullMarked;
