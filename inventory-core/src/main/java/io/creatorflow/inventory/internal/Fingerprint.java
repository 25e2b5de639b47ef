package io.creatorflow.inventory.internal;

import io.creatorflow.inventory.OrderLine;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Digests a request's fields into the fingerprint recorded with its idempotency key: the SHA-256,
 * in lowercase hex, of the UTF-8 text in which every field is {@code <length>:<text>} ({@code -1:}
 * for {@code null}), {@code <text>} being the field's {@code toString()} and {@code <length>} its
 * length in chars. Fields are length-prefixed so that no two different field lists share an
 * encoding. The text is written straight into a byte buffer, without building strings. Not
 * thread-safe: a fingerprint is built and digested by the thread that created it.
 */
public final class Fingerprint {
  private static final String OPEN_LINE = "OrderLine[sku=";
  private static final String LINE_QUANTITY = ", quantity=";

  /** The text so far: the thread's scratch buffer while this fingerprint holds it, else its own. */
  private byte[] buf;
  private int len;
  private @Nullable Scratch scratch;
  private @Nullable String digest;

  private Fingerprint(String operation) {
    Scratch s = SCRATCH.get();
    if (s.busy) {
      // Another fingerprint of this thread is being built (or was abandoned before its digest).
      buf = new byte[128];
    } else {
      s.busy = true;
      scratch = s;
      buf = s.text;
    }
    add(operation);
  }

  public static Fingerprint of(String operation) {
    return new Fingerprint(operation);
  }

  public Fingerprint add(@Nullable Object field) {
    if (field == null) {
      ensure(3);
      buf[len++] = '-';
      buf[len++] = '1';
      buf[len++] = ':';
    } else if (field instanceof Long number) {
      add(number.longValue());
    } else {
      String s = field.toString();
      appendLength(s.length());
      appendText(s);
    }
    return this;
  }

  /** The same as {@code add(Long.valueOf(value))}. */
  public Fingerprint add(long value) {
    appendLength(stringSize(value));
    appendLong(value);
    return this;
  }

  /**
   * The same as {@code add(lines)} for the order's lines (an immutable list, whose text is {@code
   * [<line>, <line>]}, each line's text {@link OrderLine#toString()}), without building the text.
   */
  public Fingerprint addLines(List<OrderLine> lines) {
    int n = lines.size();
    int length = 2 + 2 * Math.max(0, n - 1);
    for (int i = 0; i < n; i++) {
      OrderLine line = lines.get(i);
      length += OPEN_LINE.length() + line.sku().value().length() + LINE_QUANTITY.length()
          + stringSize(line.quantity()) + 1;
    }
    appendLength(length);
    appendAscii("[");
    for (int i = 0; i < n; i++) {
      OrderLine line = lines.get(i);
      if (i > 0) {
        appendAscii(", ");
      }
      appendAscii(OPEN_LINE);
      appendText(line.sku().value());
      appendAscii(LINE_QUANTITY);
      appendLong(line.quantity());
      appendAscii("]");
    }
    appendAscii("]");
    return this;
  }

  /** The SHA-256 of the fields, lowercase hex. Fields cannot be added afterwards. */
  public String digest() {
    if (digest == null) {
      digest = hash();
      Scratch s = scratch;
      if (s != null) {
        s.text = buf;
        s.busy = false;
        scratch = null;
      }
      buf = NO_BYTES;
    }
    return digest;
  }

  private String hash() {
    Scratch thread = SCRATCH.get();
    MessageDigest sha = thread.sha;
    sha.reset();
    sha.update(buf, 0, len);
    byte[] hash = thread.hash;
    try {
      sha.digest(hash, 0, hash.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest of " + hash.length + " bytes failed", e);
    }
    byte[] hex = thread.hex;
    for (int i = 0; i < hash.length; i++) {
      int b = hash[i] & 0xff;
      hex[2 * i] = HEX[b >>> 4];
      hex[2 * i + 1] = HEX[b & 0xf];
    }
    return new String(hex, StandardCharsets.ISO_8859_1);
  }

  private void ensure(int more) {
    if (digest != null) {
      throw new IllegalStateException("the fingerprint was digested already");
    }
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private void appendLength(int length) {
    appendLong(length);
    ensure(1);
    buf[len++] = ':';
  }

  private void appendAscii(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  /** UTF-8, exactly as {@link String#getBytes} with UTF-8 encodes it. */
  private void appendText(String s) {
    int n = s.length();
    ensure(n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        len -= i;
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, len, utf8.length);
        len += utf8.length;
        return;
      }
      buf[len++] = (byte) c;
    }
  }

  private void appendLong(long value) {
    int size = stringSize(value);
    ensure(size);
    int end = len + size;
    long v = value;
    if (v < 0) {
      buf[len] = '-';
    }
    int pos = end;
    do {
      long q = v / 10;
      buf[--pos] = (byte) ('0' + Math.abs((int) (v - q * 10)));
      v = q;
    } while (v != 0);
    len = end;
  }

  /** The length of {@link Long#toString(long)}. */
  static int stringSize(long value) {
    int size = value < 0 ? 2 : 1;
    long v = value;
    while (v <= -10 || v >= 10) {
      v /= 10;
      size++;
    }
    return size;
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

  /**
   * One digest and buffers per thread: looking a digest up in the security providers costs more
   * than hashing a request's few dozen bytes. {@link #digest()} resets the digest before use and
   * finishes with it before returning, so a thread never sees another fingerprint's state. The text
   * buffer is lent to one fingerprint at a time, from its creation to its digest.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final byte[] NO_BYTES = new byte[0];

  private static final class Scratch {
    /** The text buffer, lent to one fingerprint at a time. */
    byte[] text = new byte[128];
    boolean busy;
    final MessageDigest sha;
    final byte[] hash = new byte[32];
    final byte[] hex = new byte[64];

    Scratch() {
      try {
        sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
      }
    }
  }
}
