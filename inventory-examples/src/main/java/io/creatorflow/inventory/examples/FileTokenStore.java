package io.creatorflow.inventory.examples;

import io.creatorflow.inventory.tiktok.TikTokCredentials;
import io.creatorflow.inventory.tiktok.TikTokTokenStore;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a seller's TikTok tokens in a properties file (owner-only permissions where the file system
 * has them), so that a refresh token TikTok rotates survives a restart. Each file remembers a
 * fingerprint of the configured refresh token it started from: when the configuration supplies a
 * different refresh token (the seller authorized the app again), the configured tokens win and the
 * file is replaced at the next refresh.
 *
 * <p>Writes go to a temporary file that is then moved over the old one, so a crash never leaves half
 * a file. Thread-safe.
 */
public final class FileTokenStore implements TikTokTokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileTokenStore.class);

  private final Path file;
  private final String seedFingerprint;

  /**
   * @param file where tokens are kept
   * @param configuredRefreshToken the refresh token from the configuration
   */
  public FileTokenStore(Path file, String configuredRefreshToken) {
    this.file = Objects.requireNonNull(file, "file");
    this.seedFingerprint = fingerprint(Objects.requireNonNull(configuredRefreshToken, "configuredRefreshToken"));
  }

  /**
   * The tokens saved by an earlier run from the same configured refresh token, if any.
   *
   * @throws UncheckedIOException if the file exists but cannot be read
   */
  public Optional<TikTokCredentials> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TikTok token file " + file, e);
    }
    if (!seedFingerprint.equals(p.getProperty("seed"))) {
      LOG.info("TikTok token file {} belongs to another configured refresh token: using the configured tokens", file);
      return Optional.empty();
    }
    try {
      return Optional.of(new TikTokCredentials(
          required(p, "access_token"), Instant.parse(required(p, "access_token_expires_at")),
          required(p, "refresh_token"), Instant.parse(required(p, "refresh_token_expires_at"))));
    } catch (RuntimeException e) {
      LOG.warn("TikTok token file {} is incomplete ({}): using the configured tokens", file, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public synchronized void save(TikTokCredentials credentials) {
    Properties p = new Properties();
    p.setProperty("seed", seedFingerprint);
    p.setProperty("access_token", credentials.accessToken());
    p.setProperty("access_token_expires_at", credentials.accessTokenExpiresAt().toString());
    p.setProperty("refresh_token", credentials.refreshToken());
    p.setProperty("refresh_token_expires_at", credentials.refreshTokenExpiresAt().toString());
    try {
      Files.createDirectories(Objects.requireNonNull(file.toAbsolutePath().getParent()));
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "TikTok Shop tokens of the inventory service; keep private");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // Thrown on purpose: the SDK fails the call that needed the token rather than use a refresh
      // token that could not be kept.
      throw new UncheckedIOException("cannot write the TikTok token file " + file, e);
    }
  }

  private static String required(Properties p, String key) {
    String v = p.getProperty(key);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(key + " is missing");
    }
    return v;
  }

  private static String fingerprint(@Nullable String token) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.valueOf(token).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "FileTokenStore[" + file + "]";
  }
}
