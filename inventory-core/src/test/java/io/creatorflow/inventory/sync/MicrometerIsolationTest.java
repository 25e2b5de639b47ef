package io.creatorflow.inventory.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Micrometer is an optional dependency of core: only {@code sync.micrometer} may refer to it. */
@DisplayName("Micrometer stays optional")
class MicrometerIsolationTest {

  static Path classesRoot() throws URISyntaxException {
    URL url = ShopSync.class.getProtectionDomain().getCodeSource().getLocation();
    return Paths.get(url.toURI());
  }

  @Test
  @DisplayName("no class outside sync.micrometer refers to io.micrometer")
  void onlyTheMicrometerPackageRefersToMicrometer() throws Exception {
    Path root = classesRoot();
    List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : (Iterable<Path>) files.filter(x -> x.toString().endsWith(".class"))::iterator) {
        String name = root.relativize(p).toString().replace('\\', '/');
        scanned++;
        if (name.startsWith("io/creatorflow/inventory/sync/micrometer/")) {
          continue;
        }
        if (new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("io/micrometer")) {
          offenders.add(name);
        }
      }
    }
    assertThat(scanned).isGreaterThan(50);
    assertThat(offenders).isEmpty();
    // and the check would notice: the micrometer package does refer to it
    try (Stream<Path> files = Files.list(root.resolve("io/creatorflow/inventory/sync/micrometer"))) {
      assertThat(files.filter(p -> p.toString().endsWith("MicrometerSyncMetrics.class")).anyMatch(p -> {
        try {
          return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("io/micrometer");
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      })).isTrue();
    }
  }

  @Test
  @DisplayName("ShopSync loads, builds and pushes on a class path without Micrometer")
  void worksWithoutMicrometer() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (!entry.contains("micrometer")) {
        urls.add(Paths.get(entry).toUri().toURL());
      }
    }
    try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThat(tryLoad(isolated, "io.micrometer.core.instrument.MeterRegistry")).isFalse();
      Class<?> scenario = isolated.loadClass(NoMicrometerScenario.class.getName());
      Object pushed = scenario.getMethod("run").invoke(null);
      assertThat(pushed).isEqualTo(7L);
    }
  }

  private static boolean tryLoad(ClassLoader loader, String name) {
    try {
      loader.loadClass(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
