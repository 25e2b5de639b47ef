package io.creatorflow.inventory.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the benchmarks ran on: cores, memory, JDK, and the load average at a moment. */
public final class Machine {
  private Machine() {}

  /** The 1-minute load average ({@code /proc/loadavg} on Linux, else the JVM's view), or -1. */
  public static double loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return Double.parseDouble(parts[0]);
    } catch (IOException | RuntimeException e) {
      return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
  }

  /** Labelled facts about the machine and the JVM. */
  public static Map<String, String> describe() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    facts.put("memory", totalMemory());
    facts.put("jvm max heap", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
    facts.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    facts.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    facts.put("load average (1 min) at start", String.format(java.util.Locale.ROOT, "%.2f", loadAverage()));
    return facts;
  }

  private static String totalMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return String.format(java.util.Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / 1024.0 / 1024.0 / 1024.0);
    }
    return "unknown";
  }
}
