package io.creatorflow.inventory.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Adjustment;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.examples.TestServices.Client;
import io.creatorflow.inventory.examples.TestServices.Reply;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The status page at {@code /}: server-rendered, escaped, self-contained. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageTest {
  @TempDir
  static Path dir;

  InventoryService service;
  Client client;

  @BeforeAll
  void start() throws Exception {
    service = TestServices.start(dir);
    client = new Client(service);
  }

  @AfterAll
  void stop() {
    service.close();
  }

  @Test
  @DisplayName("shows stock with low and out-of-stock rows highlighted, alerts, movements and sync status")
  void content() throws Exception {
    Reply page = client.get("");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    String html = page.body();
    assertThat(html).contains("<h2>Stock</h2>", "<h2>Open alerts</h2>", "<h2>Recent movements</h2>",
        "<h2>Sync and health</h2>", DemoCatalog.VIRAL_SKU);
    assertThat(html).containsPattern("<tr class=\"low\"><td class=\"mono\">HOODIE-1-M</td>");
    assertThat(html).containsPattern("<tr class=\"out\"><td class=\"mono\">CAP-1-BLACK</td>");
    assertThat(html).contains(CatalogImport.REASON);
    assertThat(html).contains("H2 file database");

    assertThat(stockTable(client.get("?status=low_stock").body()))
        .contains(">HOODIE-1-M<", ">TOTE-1-NATURAL<").doesNotContain(">LIP-OIL-ROSE<");
    assertThat(stockTable(client.get("?search=tote&page=1").body()))
        .contains(">TOTE-1-SAGE<", "3 matching").doesNotContain(">HOODIE-1-M<");
    assertThat(stockTable(client.get("?page=2").body())).contains("page 1 of 1", ">TEE-1-S<");
  }

  private static String stockTable(String html) {
    int start = html.indexOf("<section class=\"stock\">");
    return html.substring(start, html.indexOf("</section>", start));
  }

  @Test
  @DisplayName("loads nothing from elsewhere and allows only its own inline script")
  void selfContained() throws Exception {
    Reply page = client.get("");
    String html = page.body();
    assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//");
    assertThat(html).doesNotContain("<link", "@import");
    String csp = page.header("Content-Security-Policy");
    assertThat(csp).contains("default-src 'none'", "connect-src 'self'");
    Matcher nonce = Pattern.compile("script-src 'nonce-([A-Za-z0-9_-]+)'").matcher(csp);
    assertThat(nonce.find()).isTrue();
    assertThat(html).contains("<script nonce=\"" + nonce.group(1) + "\">");
    assertThat(client.get("").header("Content-Security-Policy")).isNotEqualTo(csp);
  }

  @Test
  @DisplayName("escapes every value it shows")
  void escapes() throws Exception {
    Sku sku = Sku.of("XSS-<b>1</b>");
    service.engine().register(ItemDefinition.builder(service.tenant(), sku)
        .name("<script>alert('x')</script> & \"friends\"").build());
    service.engine().adjust(Adjustment.of(service.tenant(), sku, 3, "<img src=x onerror=alert(1)>"));
    String html = client.get("?search=XSS").body();
    assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;friends&quot;");
    assertThat(html).contains("XSS-&lt;b&gt;1&lt;/b&gt;");
    assertThat(html).doesNotContain("<script>alert", "XSS-<b>1</b>", "\"friends\"");
    String movements = client.get("").body();
    assertThat(movements).contains("&lt;img src=x onerror=alert(1)&gt;").doesNotContain("<img src=x");
    Reply injected = client.get("?search=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
    assertThat(injected.body()).doesNotContain("\"><script>alert(1)");
  }

  @Test
  void otherPathsAre404() throws Exception {
    assertThat(client.get("favicon.ico").status()).isEqualTo(404);
    assertThat(client.get("nothing/here").status()).isEqualTo(404);
  }
}
