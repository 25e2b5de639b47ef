package io.creatorflow.inventory.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Renders figures as a Markdown table and as JSON. */
public final class Report {
  private Report() {}

  /** The figures as a Markdown table, one row per figure. */
  public static String markdown(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append("| Figure | SDK | Seed-style baseline | SDK vs baseline | Unit | Notes |\n");
    sb.append("|---|---:|---:|---:|---|---|\n");
    for (Result r : results) {
      sb.append("| ").append(r.name()).append(" | ");
      if (r.skipped() != null) {
        sb.append("skipped | | | ").append(r.unit()).append(" | ").append(escape(r.skipped())).append(" |\n");
        continue;
      }
      sb.append(number(r.value())).append(" | ")
          .append(r.baseline() == null ? "" : number(r.baseline())).append(" | ")
          .append(r.ratio() == null ? "" : String.format(Locale.ROOT, "%.1f×", r.ratio())).append(" | ")
          .append(r.unit()).append(" | ")
          .append(r.note() == null ? "" : escape(r.note())).append(" |\n");
    }
    return sb.toString();
  }

  /** A number as the table shows it: thousands separators for large values, a few decimals for small ones. */
  public static String number(@Nullable Double value) {
    if (value == null) {
      return "";
    }
    double v = value;
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (Math.abs(v) >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** The figures as a JSON array of objects: name, value, unit; baseline and ratio for comparisons. */
  public static String json(List<Result> results) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Result r : results) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("name", r.name());
      row.put("value", r.value());
      row.put("unit", r.unit());
      if (r.baseline() != null) {
        row.put("baseline", r.baseline());
        row.put("ratio", r.ratio());
      }
      if (r.note() != null) {
        row.put("note", r.note());
      }
      if (r.skipped() != null) {
        row.put("skipped", r.skipped());
      }
      rows.add(row);
    }
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows);
  }

  /** Writes text to a file, creating its directory. */
  public static void write(Path path, String text) throws IOException {
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(path, text);
  }
}
